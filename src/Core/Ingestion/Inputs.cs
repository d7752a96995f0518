using System.Text.Json;

namespace Engagement.Core.Ingestion;

// Wire shapes: every member is nullable text so that a wrong value is reported by name, with the field's
// path, rather than failing deserialisation as a whole.

/// <summary>Body of <c>PUT /api/partnerships/{id}</c>.</summary>
public sealed record PartnershipInput
{
    /// <summary>Display name (required).</summary>
    public string? Name { get; init; }
    /// <summary>Territory served.</summary>
    public string? Territory { get; init; }
    /// <summary><c>fr</c> (default) or <c>en</c>.</summary>
    public string? Language { get; init; }
    /// <summary>Coordinators' e-mails, who receive alerts.</summary>
    public IReadOnlyList<string?>? CoordinatorEmails { get; init; }
    /// <summary>
    /// Whether alerts are also e-mailed to the coordinators (they are always recorded). Left out, a new partnership
    /// starts with e-mails off and an existing one keeps its setting.
    /// </summary>
    public bool? AlertEmails { get; init; }
}

/// <summary>One organisation in <c>POST /api/partnerships/{id}/organizations</c>.</summary>
public sealed record OrganizationInput
{
    /// <summary>Id within the partnership.</summary>
    public string? Id { get; init; }
    /// <summary>Display name.</summary>
    public string? Name { get; init; }
    /// <summary>Sector (default <c>other</c>).</summary>
    public string? Sector { get; init; }
}

/// <summary>One person in <c>POST /api/partnerships/{id}/people</c>.</summary>
public sealed record PersonInput
{
    /// <summary>Id within the partnership.</summary>
    public string? Id { get; init; }
    /// <summary>Name.</summary>
    public string? DisplayName { get; init; }
    /// <summary>E-mail; used to match Teams attendees and form respondents.</summary>
    public string? Email { get; init; }
}

/// <summary>One representation in <c>POST /api/partnerships/{id}/representations</c>.</summary>
public sealed record RepresentationInput
{
    /// <summary>Optional id; defaults to organisation, person and start date.</summary>
    public string? Id { get; init; }
    /// <summary>The represented organisation.</summary>
    public string? OrganizationId { get; init; }
    /// <summary>The person.</summary>
    public string? PersonId { get; init; }
    /// <summary>Role (default <c>representative</c>).</summary>
    public string? Role { get; init; }
    /// <summary>First day, yyyy-MM-dd.</summary>
    public string? From { get; init; }
    /// <summary>
    /// Last day, yyyy-MM-dd, or null while it lasts. Left out, a stored end stays: a roster sent again by a
    /// spreadsheet that does not know about a departure does not undo it.
    /// </summary>
    public string? To { get; init; }
    /// <summary>True to reopen a representation that was ended (with no <c>to</c>): reopening is never implicit.</summary>
    public bool Reopen { get; init; }
}

/// <summary>Body of <c>POST /api/partnerships/{id}/representations/{rid}/end</c>.</summary>
public sealed record EndRepresentationInput
{
    /// <summary>Last day, yyyy-MM-dd.</summary>
    public string? To { get; init; }
}

/// <summary>One meeting in <c>POST /api/partnerships/{id}/meetings</c>.</summary>
public sealed record MeetingInput
{
    /// <summary>Id within the partnership.</summary>
    public string? Id { get; init; }
    /// <summary>Title.</summary>
    public string? Title { get; init; }
    /// <summary>Start, ISO 8601 with offset.</summary>
    public string? Start { get; init; }
    /// <summary>End, ISO 8601 with offset.</summary>
    public string? End { get; init; }
    /// <summary>Kind (default <c>regular</c>).</summary>
    public string? Kind { get; init; }
    /// <summary>Source (default <c>in-person</c>).</summary>
    public string? Source { get; init; }
    /// <summary>Teams join URL.</summary>
    public string? TeamsJoinUrl { get; init; }
    /// <summary>Cancelled flag.</summary>
    public bool? Cancelled { get; init; }
}

/// <summary>Body of <c>POST /api/attendance</c> (JSON).</summary>
public sealed record AttendanceBatchInput
{
    /// <summary>The partnership every record belongs to.</summary>
    public string? PartnershipId { get; init; }
    /// <summary>Up to 5,000 records.</summary>
    public IReadOnlyList<AttendanceInput?>? Records { get; init; }

    /// <summary>
    /// For a batch read from a CSV file: the file's line of each record (the header being line 1), so that a problem
    /// with <c>records[i]</c> also names the line a spreadsheet shows. Never read from JSON.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<long>? SourceLines { get; init; }
}

/// <summary>One attendance record.</summary>
public sealed record AttendanceInput
{
    /// <summary>Optional; must equal the batch's partnership when given.</summary>
    public string? PartnershipId { get; init; }
    /// <summary>The meeting.</summary>
    public string? MeetingId { get; init; }
    /// <summary>The person.</summary>
    public string? PersonId { get; init; }
    /// <summary><c>present</c>, <c>absent</c> or <c>excused</c> (French labels accepted).</summary>
    public string? Status { get; init; }
    /// <summary>Seconds attended, when known.</summary>
    public long? SecondsAttended { get; init; }
}

/// <summary>Body of <c>PUT /api/forms/{formId}</c>: registers a form and, for a diagnostic, its item mapping.</summary>
public sealed record FormInput
{
    /// <summary>The partnership whose members answer the form.</summary>
    public string? PartnershipId { get; init; }
    /// <summary><c>feedback</c>, <c>follow-up</c>, <c>diagnostic</c> or <c>other</c>.</summary>
    public string? Kind { get; init; }
    /// <summary>Title.</summary>
    public string? Title { get; init; }
    /// <summary>For a diagnostic: question key → CACIS item number (1–18).</summary>
    public IReadOnlyDictionary<string, int>? Items { get; init; }
    /// <summary>For a diagnostic: extra labels the form uses for each answer, keyed <c>A</c>, <c>B</c>, <c>C</c>.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>>? AnswerLabels { get; init; }
    /// <summary>For a form answered on the product's own pages (not a diagnostic): its questions, in order.</summary>
    public IReadOnlyList<FormQuestionInput?>? Questions { get; init; }
}

/// <summary>One question of a form the product's pages ask.</summary>
public sealed record FormQuestionInput
{
    /// <summary>Key the answers are stored under: letters, digits, '-', '_' or '.', unique within the form.</summary>
    public string? Key { get; init; }
    /// <summary><c>text</c>, <c>scale</c> (1–5) or <c>choice</c>.</summary>
    public string? Kind { get; init; }
    /// <summary>The question (French, or the partnership's language).</summary>
    public string? Text { get; init; }
    /// <summary>The question in English, if different.</summary>
    public string? TextEn { get; init; }
    /// <summary>Whether an answer is required (default false).</summary>
    public bool? Required { get; init; }
    /// <summary>For a choice question: 2 to 12 choices.</summary>
    public IReadOnlyList<FormChoiceInput?>? Choices { get; init; }
}

/// <summary>One choice of a choice question.</summary>
public sealed record FormChoiceInput
{
    /// <summary>The choice, stored as the answer.</summary>
    public string? Text { get; init; }
    /// <summary>The choice in English, shown on English pages.</summary>
    public string? TextEn { get; init; }
}

/// <summary>
/// A form submission as posted to <c>POST /api/forms/submissions</c>: either our shape, or the body of Power
/// Automate's "Get response details" (<c>responder</c>, <c>submitDate</c>, one <c>r…</c> key per question).
/// </summary>
public sealed record FormSubmissionEnvelope
{
    /// <summary>The JSON object as received.</summary>
    public required JsonElement Body { get; init; }
    /// <summary>Partnership from the query string, if any.</summary>
    public string? PartnershipId { get; init; }
    /// <summary>Form id from the query string, if any.</summary>
    public string? FormId { get; init; }
    /// <summary>Response id from the query string, if any.</summary>
    public string? ResponseId { get; init; }

    /// <summary>
    /// The value the submission gives for <paramref name="name"/> (<c>formId</c>, <c>partnershipId</c>, <c>responseId</c>):
    /// the body's (text or number, any case of the name) unless it is absent, null, blank or of another kind, then the
    /// query string's. Ingestion stores under this value, so the key's partnership scope must be checked against it too.
    /// </summary>
    public string? Given(string name)
    {
        var query = name switch
        {
            "formId" => FormId,
            "partnershipId" => PartnershipId,
            "responseId" => ResponseId,
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, "formId, partnershipId or responseId"),
        };
        if (Body.ValueKind != JsonValueKind.Object)
        {
            return query;
        }

        foreach (var property in Body.EnumerateObject())
        {
            if (property.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return property.Value.ValueKind switch
                {
                    JsonValueKind.String when !string.IsNullOrWhiteSpace(property.Value.GetString()) => property.Value.GetString(),
                    JsonValueKind.Number => property.Value.GetRawText(),
                    _ => query,
                };
            }
        }

        return query;
    }
}
