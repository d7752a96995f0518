using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace Engagement.Functions.Tests.Reliability;

/// <summary>
/// Seeded mutations of valid requests over every write route: types, sizes, encodings, nesting, dates, ids, CSV and
/// multipart shapes. Whatever arrives, the answer is never a 5xx, and a refused request leaves the store exactly as it
/// was (every row of every table, hashed before and after).
/// </summary>
public sealed class WriteRouteFuzzTests(ITestOutputHelper output)
{
    private const int Requests = 10_000;

    private sealed record Seed(string Method, string Path, string ContentType, string Body);

    private static readonly Seed[] Seeds =
    [
        new("PUT", "/api/partnerships/p1", "application/json", """{"name":"Table p1","territory":"Centre-Sud","language":"fr","coordinatorEmails":["coord@example.org"],"alertEmails":true}"""),
        new("POST", "/api/partnerships/p1/organizations", "application/json", """[{"id":"cdc","name":"CDC Centre-Sud","sector":"community"},{"id":"ville","name":"Ville de Montréal","sector":"municipal"}]"""),
        new("POST", "/api/partnerships/p1/people", "application/json", """[{"id":"marie","displayName":"Marie Tremblay","email":"marie@example.org"},{"id":"luc","displayName":"Luc Gagnon"}]"""),
        new("POST", "/api/partnerships/p1/representations", "application/json", """[{"organizationId":"cdc","personId":"marie","role":"representative","from":"2025-01-01"},{"organizationId":"ville","personId":"jean","from":"2025-01-01","to":"2026-06-30"}]"""),
        new("POST", "/api/partnerships/p1/representations/ville.jean.20250101/end", "application/json", """{"to":"2026-06-30"}"""),
        new("POST", "/api/partnerships/p1/meetings", "application/json", """[{"id":"m1","title":"Rencontre de janvier","start":"2026-01-15T13:30:00-05:00","end":"2026-01-15T16:00:00-05:00"}]"""),
        new("POST", "/api/attendance", "application/json", """{"partnershipId":"p1","records":[{"meetingId":"m1","personId":"marie","status":"present","secondsAttended":5400},{"meetingId":"m2","personId":"jean","status":"excused"}]}"""),
        new("POST", "/api/attendance?partnershipId=p1", "text/csv", "rencontre;personne;statut;secondes\nm1;marie;présent;3600\nm2;jean;absent;\n"),
        new("POST", "/api/attendance", "multipart/form-data; boundary=zz", "--zz\r\nContent-Disposition: form-data; name=\"partnershipId\"\r\n\r\np1\r\n--zz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\nContent-Type: text/csv\r\n\r\nmeetingId,personId,status\nm1,jean,present\n\r\n--zz--\r\n"),
        new("PUT", "/api/forms/f1", "application/json", """{"partnershipId":"p1","kind":"feedback"}"""),
        new("POST", "/api/forms/submissions", "application/json", """{"formId":"f1","responseId":"r1","respondent":"marie@example.org","submittedAt":"2026-03-01T10:00:00Z","answers":{"q1":"Oui","q2":["a","b"]}}"""),
        new("POST", "/api/forms/submissions?formId=f1", "application/json", """{"answers":{"submitDate":"2026-03-01T10:00:00Z","responder":"jean@example.org","q1":"Non"},"responseId":"r2"}"""),
        new("PUT", "/api/partnerships/p1/integrations/teams-meeting/m2", "application/json", """{"organizerUserId":"dc17674c-81d9-4adb-bfb2-8f6a442e4622","joinUrl":"https://teams.microsoft.com/l/meetup-join/abc"}"""),
        new("PUT", "/api/partnerships/p1/plan", "application/json", """{"objectives":[{"id":"O1","title":"Briser l’isolement","order":1,"results":"140 aînés"}],"actions":[{"id":"O1.1","objectiveId":"O1","title":"Répertoire","leadOrganizationId":"cdc","partnerOrganizationIds":["ville"],"startOn":"2026-01-15","dueOn":"2026-03-31","deliverables":"Un répertoire"}]}"""),
        new("POST", "/api/partnerships/p1/plan/actions/O1.1/updates", "application/json", """{"status":"late","done":"Deux cafés","obstacles":"Salle fermée","at":"2026-10-01T10:00:00-04:00"}"""),
        new("PUT", "/api/partnerships/p1/plan/schedule", "application/json", """{"everyDays":30,"reminderAfterDays":7,"startOn":"2026-12-01"}"""),
    ];

    private static readonly string[] Values =
    [
        "null", "true", "0", "-1", "1e308", "9999999999999999999999", "\"\"", "\" \"", "\"\\u0000\"", "\"\\ud800\"", "[]", "{}", "[[[[[[]]]]]]",
        "\"2026-02-30\"", "\"2026-01-15T25:61:00\"", "\"0001-01-01\"", "\"9999-12-31T23:59:59+14:00\"", "\"not a date\"",
        "\"../../etc/passwd\"", "\"p2\"", "\"=HYPERLINK(1)\"", "\"" + new string('x', 5000) + "\"", "\"é\u0301 ✓ 漢\"",
    ];

    private const string Odd = "{}[]\",:;\n\r\t\\\0é\u2028";

    [Fact]
    public async Task TenThousandMutatedWrites_NeverA5xx_AndARefusedOneWritesNothing()
    {
        await using var app = new EngagementApp(settings: new() { ["Graph:Enabled"] = "false" });
        await app.SeedAsync("p1");
        await app.SeedAsync("p2");
        (await app.Admin().PutAsJsonAsync("/api/forms/f1", new { partnershipId = "p1", kind = "feedback" })).EnsureSuccessStatusCode();
        var client = app.ClientWithKey(EngagementApp.Keys.Admin);
        var scoped = app.ClientWithKey(EngagementApp.Keys.IngestOfP1);
        var random = new Random(20261201);
        var statuses = new Dictionary<int, int>();
        var failures = new List<string>();
        var changes = 0;
        await using var fingerprint = new StoreFingerprint(app.DatabasePath);

        for (var i = 0; i < Requests && failures.Count < 5; i++)
        {
            var seed = Seeds[random.Next(Seeds.Length)];
            var (contentType, body) = Mutate(seed, random);
            var before = fingerprint.Compute();
            using var request = new HttpRequestMessage(new HttpMethod(seed.Method), seed.Path) { Content = new ByteArrayContent(body) };
            request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            using var response = await (random.Next(4) == 0 ? scoped : client).SendAsync(request);
            var status = (int)response.StatusCode;
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            if (status >= 500)
            {
                failures.Add($"#{i} {seed.Method} {seed.Path} [{contentType}] → {status}: {Shorten(Encoding.UTF8.GetString(body))}\n{await response.Content.ReadAsStringAsync()}");
            }
            else if (status >= 400 && fingerprint.Compute() != before)
            {
                failures.Add($"#{i} {seed.Method} {seed.Path} [{contentType}] → {status} but the store changed: {Shorten(Encoding.UTF8.GetString(body))}");
            }
            else if (status < 300 && fingerprint.Compute() != before)
            {
                changes++;
            }
        }

        output.WriteLine(string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value}")) + $"; {changes} accepted requests changed the store");
        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
        Assert.True(statuses.Where(s => s.Key < 300).Sum(s => s.Value) > 500, "the mutations should leave many requests valid, or the routes' success paths are not exercised");
        Assert.True(changes > 100, $"only {changes} accepted requests changed the store: the fingerprint would not see a partial write");
        Assert.True(statuses.Where(s => s.Key >= 400).Sum(s => s.Value) > 2_000, "most mutations should be refused");
    }

    private static (string ContentType, byte[] Body) Mutate(Seed seed, Random random)
    {
        var text = seed.Body;
        var contentType = seed.ContentType;
        var rounds = 1 + random.Next(3);
        for (var r = 0; r < rounds; r++)
        {
            switch (random.Next(12))
            {
                case 0: // delete a span
                    if (text.Length > 1)
                    {
                        var at = random.Next(text.Length);
                        text = text.Remove(at, Math.Min(text.Length - at, 1 + random.Next(8)));
                    }

                    break;
                case 1: // insert a structural or odd character
                    text = text.Insert(random.Next(text.Length + 1), Odd[random.Next(Odd.Length)].ToString());
                    break;
                case 2: // replace a JSON value
                case 3:
                    text = ReplaceValue(text, Values[random.Next(Values.Length)], random);
                    break;
                case 4: // truncate
                    text = text[..random.Next(text.Length + 1)];
                    break;
                case 5: // duplicate a span (repeated fields, records, parts)
                    if (text.Length > 2)
                    {
                        var at = random.Next(text.Length - 1);
                        var length = 1 + random.Next(Math.Min(40, text.Length - at));
                        text = text.Insert(at, text.Substring(at, length));
                    }

                    break;
                case 6: // rename a field
                    text = ReplaceFirst(text, "\"id\"", "\"ID\"", "\"partnershipId\"", "\"partnershipID\"", "\"status\"", "\"statut\"", "\"records\"", "\"record\"");
                    break;
                case 7: // another partnership, or ids nobody has
                    text = ReplaceFirst(text, "p1", random.Next(2) == 0 ? "p2" : "p" + new string('1', 300), "m1", "m9", "marie", "nobody", "f1", "f2");
                    break;
                case 8: // another content type
                    contentType = new[] { "application/json", "text/csv", "text/plain", "multipart/form-data", "multipart/form-data; boundary=zz", "application/x-www-form-urlencoded", "application/xml", "application/json; charset=latin1" }[random.Next(8)];
                    break;
                case 9: // deep nesting
                    var depth = 1 + random.Next(300);
                    text = ReplaceValue(text, new string('[', depth) + new string(']', depth), random);
                    break;
                case 10: // a CSV or multipart line mangled
                    text = text.Replace(random.Next(2) == 0 ? ";" : ",", random.Next(2) == 0 ? "\t" : "\";\"", StringComparison.Ordinal);
                    break;
                default: // many records
                    text = ReplaceFirst(text, "[{", "[" + string.Concat(Enumerable.Repeat("{},", random.Next(50))) + "{");
                    break;
            }
        }

        var bytes = Encoding.UTF8.GetBytes(text);
        if (random.Next(20) == 0 && bytes.Length > 0)
        {
            // Not UTF-8 at all.
            bytes[random.Next(bytes.Length)] = (byte)(0x80 + random.Next(0x40));
        }

        return (contentType, bytes);
    }

    private static string ReplaceValue(string text, string value, Random random)
    {
        var colons = Enumerable.Range(0, text.Length).Where(i => text[i] == ':').ToList();
        if (colons.Count == 0)
        {
            return text + value;
        }

        var start = colons[random.Next(colons.Count)] + 1;
        var end = start;
        var depth = 0;
        var quoted = false;
        for (; end < text.Length; end++)
        {
            var c = text[end];
            if (quoted)
            {
                if (c == '\\')
                {
                    end++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }

                continue;
            }

            if (c == '"')
            {
                quoted = true;
            }
            else if (c is '[' or '{')
            {
                depth++;
            }
            else if (c is ']' or '}' && --depth < 0 || c == ',' && depth == 0)
            {
                break;
            }
        }

        return text[..start] + value + text[Math.Min(end, text.Length)..];
    }

    private static string ReplaceFirst(string text, params string[] pairs)
    {
        for (var p = 0; p + 1 < pairs.Length; p += 2)
        {
            var at = text.IndexOf(pairs[p], StringComparison.Ordinal);
            if (at >= 0)
            {
                return text[..at] + pairs[p + 1] + text[(at + pairs[p].Length)..];
            }
        }

        return text;
    }

    private static string Shorten(string text) => text.Length > 300 ? text[..300] + "…" : text;

    /// <summary>A hash of every row of every table of the app's SQLite file, read through its own connection.</summary>
    private sealed class StoreFingerprint(string path) : IAsyncDisposable
    {
        private readonly SqliteConnection _connection = Open(path);

        public string Compute()
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            using var tables = _connection.CreateCommand();
            tables.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name";
            var names = new List<string>();
            using (var reader = tables.ExecuteReader())
            {
                while (reader.Read())
                {
                    names.Add(reader.GetString(0));
                }
            }

            foreach (var name in names)
            {
                using var rows = _connection.CreateCommand();
                rows.CommandText = $"SELECT * FROM \"{name}\"";
                using var reader = rows.ExecuteReader();
                var lines = new List<string>();
                while (reader.Read())
                {
                    lines.Add(string.Join('\u001f', Enumerable.Range(0, reader.FieldCount).Select(c => Convert.ToString(reader.GetValue(c), System.Globalization.CultureInfo.InvariantCulture))));
                }

                // Tables without rowid have no insertion order to read by: the rows are compared as a sorted set.
                hash.AppendData(Encoding.UTF8.GetBytes(name + "\u001e" + string.Join('\u001e', lines.Order(StringComparer.Ordinal))));
            }

            return Convert.ToHexString(hash.GetHashAndReset());
        }

        public async ValueTask DisposeAsync() => await _connection.DisposeAsync();

        private static SqliteConnection Open(string path)
        {
            var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
            connection.Open();
            return connection;
        }
    }
}
