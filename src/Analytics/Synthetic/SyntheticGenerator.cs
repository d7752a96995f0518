using System.Globalization;
using Engagement.Core.Domain;

namespace Engagement.Analytics.Synthetic;

/// <summary>
/// Makes seeded, deterministic synthetic partnerships with a known ground truth, for tests, benchmarks and demos.
/// </summary>
/// <remarks>
/// <para>
/// Each organisation has one representative at a time, whose attendance is drawn from the organisation's latent
/// engagement (a baseline that depends on the partnership's strength, plus a slow random walk). Some organisations
/// drift away over 6–12 months. A change of representative leaves the seat vacant for a few meetings, depresses the
/// new representative's attendance for their first meetings and raises the chance that the organisation then drifts.
/// Summer (no meeting in July, fewer and less attended ones in August) is seasonal noise and leaves the latent
/// engagement alone. Follow-up form responses and CACIS diagnostic answers follow engagement and partnership strength.
/// With <see cref="SyntheticOptions.ActionPlans"/>, each partnership also has an action plan whose actions slip and whose
/// follow-up sheets go unanswered as their carriers disengage (drawn from a generator of its own, so the rest is unchanged).
/// </para>
/// <para>
/// Ids are valid Table keys (<c>syn-p01</c>, <c>syn-p01-org03</c>, <c>syn-p01-org03-rep2</c>, <c>syn-p01-m007</c>);
/// partnership names start with "[Synthétique]"; e-mail addresses use the reserved <c>.example</c> domain; times carry
/// Montréal's offset (−05:00 in winter, −04:00 in summer).
/// </para>
/// </remarks>
public static class SyntheticGenerator
{
    /// <summary>The header of <see cref="WriteAttendanceCsv"/>.</summary>
    public const string AttendanceCsvHeader = "partnership,organization,person,meeting_id,meeting_start,present";

    /// <summary>Makes a dataset; the same options (seed included) always give the same dataset.</summary>
    /// <exception cref="Core.Validation.ValidationFailedException">Some options are invalid; all are listed.</exception>
    public static SyntheticDataset Generate(SyntheticOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        var random = new Random(options.Seed);
        var count = options.Partnerships;
        var kinds = new SyntheticPartnershipKind[count];
        var networks = (int)Math.Round(count * options.LargeNetworkShare, MidpointRounding.AwayFromZero);
        for (var i = 0; i < count; i++)
        {
            kinds[i] = i < networks ? SyntheticPartnershipKind.LargeNetwork : SyntheticPartnershipKind.Committee;
        }

        random.Shuffle(kinds);

        // Each partnership draws from its own generator, so its data depends only on the seed and its position.
        var seeds = new int[count];
        for (var i = 0; i < count; i++)
        {
            seeds[i] = random.Next();
        }

        var outputs = new PartnershipSimulation.Output[count];
        for (var i = 0; i < count; i++)
        {
            outputs[i] = PartnershipSimulation.Run(options, i, kinds[i], seeds[i]);
        }

        var histories = new PartnershipHistory[count];
        var truths = new PartnershipTruth[count];
        var people = new List<Person>();
        var forms = new List<FormDefinition>();
        for (var i = 0; i < count; i++)
        {
            histories[i] = outputs[i].History;
            truths[i] = outputs[i].Truth;
            people.AddRange(outputs[i].People);
            forms.AddRange(outputs[i].Forms);
        }

        return new SyntheticDataset
        {
            Options = options,
            Partnerships = histories,
            People = people,
            Forms = forms,
            GroundTruth = new SyntheticGroundTruth { Partnerships = truths },
        };
    }

    /// <summary>
    /// The dataset's attendance as CSV: <c>partnership,organization,person,meeting_id,meeting_start,present</c>, one row
    /// per attendance record, <c>present</c> 1 or 0 (excused counts as 0), <c>meeting_start</c> ISO 8601 with its offset.
    /// </summary>
    public static string ToAttendanceCsv(SyntheticDataset dataset)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        WriteAttendanceCsv(dataset, writer);
        return writer.ToString();
    }

    /// <summary>Writes what <see cref="ToAttendanceCsv"/> returns, row by row, for datasets too large for one string.</summary>
    public static void WriteAttendanceCsv(SyntheticDataset dataset, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(AttendanceCsvHeader);
        writer.Write('\n');
        foreach (var history in dataset.Partnerships)
        {
            var organizationOf = new Dictionary<string, string>(history.Representations.Count, StringComparer.Ordinal);
            foreach (var representation in history.Representations)
            {
                organizationOf[representation.PersonId] = representation.OrganizationId;
            }

            var startOf = new Dictionary<string, string>(history.Meetings.Count, StringComparer.Ordinal);
            foreach (var meeting in history.Meetings)
            {
                startOf[meeting.Id] = meeting.Start.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
            }

            var partnership = Field(history.Partnership.Id);
            foreach (var attendance in history.Attendance)
            {
                writer.Write(partnership);
                writer.Write(',');
                writer.Write(Field(organizationOf.GetValueOrDefault(attendance.PersonId, string.Empty)));
                writer.Write(',');
                writer.Write(Field(attendance.PersonId));
                writer.Write(',');
                writer.Write(Field(attendance.MeetingId));
                writer.Write(',');
                writer.Write(startOf.GetValueOrDefault(attendance.MeetingId, string.Empty));
                writer.Write(',');
                writer.Write(attendance.Status == AttendanceStatus.Present ? '1' : '0');
                writer.Write('\n');
            }
        }
    }

    /// <summary>Quotes a field that holds a separator, a quote or a line break (never the case for generated ids).</summary>
    private static string Field(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
