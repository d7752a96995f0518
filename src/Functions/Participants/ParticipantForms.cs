using System.Globalization;
using System.Text.Json;
using Engagement.Core.Domain;
using Engagement.Core.Ingestion;
using Engagement.Core.Storage;
using Engagement.Core.Validation;
using Microsoft.Extensions.Options;

namespace Engagement.Functions.Participants;

/// <summary>
/// The forms participants answer from a signed link: a meeting's feedback (the partnership's own questions) and the
/// 18-item CACIS diagnostic, which the coordinator opens until a day. Answers go through the very ingestion path of
/// Microsoft Forms' submissions (Power Automate's), so they are stored as <see cref="FormSubmission"/>s of the same shape
/// — answers by question key, A/B/C mapped to items by the form's registration — and the risk features, the exports and
/// the CACIS wheel read them unchanged. The response id derives from form, meeting and respondent: answering again
/// replaces one's answer, a double submit stores once.
/// </summary>
internal sealed class ParticipantForms(IFormStore formStore, IngestionService ingestion, ParticipantLinks links, IOptions<ParticipantOptions> options, TimeProvider time)
{
    /// <summary>The question keys of the diagnostic forms the product registers: <c>cacis01</c> … <c>cacis18</c>.</summary>
    public static string ItemKey(int item) => "cacis" + item.ToString("00", CultureInfo.InvariantCulture);

    public const int MaxTextAnswer = 4_000;

    public ParticipantLink FeedbackLink(Meeting meeting, FormDefinition form) =>
        new(LinkPurpose.Feedback, meeting.PartnershipId, meeting.Id, form.Id, meeting.End.AddDays(options.Value.FeedbackDays).ToUnixTimeSeconds());

    /// <summary>The forms of a partnership its participants answer on the product's pages (those with questions).</summary>
    public async Task<IReadOnlyList<FormDefinition>> FeedbackFormsAsync(string partnershipId, CancellationToken ct) =>
        [.. (await formStore.ListFormsAsync(partnershipId, ct)).Where(f => f.Kind != FormKind.Diagnostic && f.Questions is { Count: > 0 })];

    /// <summary>The question key of each CACIS item in a diagnostic form's registration, item 1 to 18; null when one is not mapped.</summary>
    public static IReadOnlyList<string>? ItemKeys(FormDefinition form)
    {
        if (form.Kind != FormKind.Diagnostic || form.Diagnostic is not { } mapping)
        {
            return null;
        }

        var byItem = mapping.Items.GroupBy(i => i.Value).ToDictionary(g => g.Key, g => g.Select(i => i.Key).Min(StringComparer.Ordinal)!);
        var keys = Enumerable.Range(1, Cacis.ItemCount).Select(i => byItem.GetValueOrDefault(i)).ToList();
        return keys.Any(k => k is null) ? null : [.. keys.Select(k => k!)];
    }

    /// <summary>
    /// Opens a CACIS diagnostic: registers its form (<paramref name="formId"/>, by default <c>cacis-yyyymmdd-{partnership}</c>)
    /// unless it is already this partnership's diagnostic with the 18 items, and answers its link, valid to the end of
    /// <paramref name="until"/> (Montréal) — by default <c>Participants:DiagnosticDays</c> from today, at most
    /// <c>Participants:DiagnosticMaxDays</c>.
    /// </summary>
    public async Task<(FormDefinition Form, ParticipantLink Link)> OpenDiagnosticAsync(Partnership partnership, string? formId, string? until, string? title, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var today = Dashboard.Fmt.DayOf(time.GetUtcNow());
        var last = today.AddDays(options.Value.DiagnosticDays);
        if (until is not null)
        {
            if (Check.Date(until, "until", errors, required: true) is { } day)
            {
                if (day < today || day > today.AddDays(options.Value.DiagnosticMaxDays))
                {
                    errors.Add("until", $"'until' must be from today ({today:yyyy-MM-dd}) to {options.Value.DiagnosticMaxDays} days later ({today.AddDays(options.Value.DiagnosticMaxDays):yyyy-MM-dd}).");
                }

                last = day;
            }
        }

        var id = formId ?? $"cacis-{today:yyyyMMdd}-{partnership.Id}";
        if (Check.Id(id, "formId", errors).Length > 0 && await formStore.GetFormAsync(id, ct) is { } existing)
        {
            if (existing.PartnershipId != partnership.Id)
            {
                errors.Add("formId", $"Form '{Check.Shorten(id)}' is registered to another partnership.");
            }
            else if (ItemKeys(existing) is null)
            {
                errors.Add("formId", $"Form '{Check.Shorten(id)}' is not a diagnostic mapping all 18 CACIS items; give another formId.");
            }
        }

        if (!errors.IsValid)
        {
            throw new ValidationFailedException(errors);
        }

        var form = await formStore.GetFormAsync(id, ct);
        if (form is null)
        {
            await ingestion.UpsertFormAsync(id, new FormInput
            {
                PartnershipId = partnership.Id,
                Kind = WireNames.Format(FormKind.Diagnostic),
                Title = title ?? $"CACIS {today:yyyy-MM-dd}",
                Items = Enumerable.Range(1, Cacis.ItemCount).ToDictionary(ItemKey, i => i, StringComparer.Ordinal),
            }, ct);
            form = (await formStore.GetFormAsync(id, ct))!;
        }

        var end = MontrealClock.Local(last, new TimeOnly(23, 59, 59));
        return (form, new ParticipantLink(LinkPurpose.Diagnostic, partnership.Id, null, form.Id, end.ToUnixTimeSeconds()));
    }

    /// <summary>
    /// Stores one respondent's answers as a submission of the form, through ingestion (as Power Automate's are). The
    /// submission time is when the page was opened (<paramref name="openedAt"/>, if it is within the last two days), so
    /// the same page sent twice is the same submission.
    /// </summary>
    public async Task<WriteCounts> SubmitAsync(FormDefinition form, string? meetingId, Respondent respondent, IReadOnlyDictionary<string, string> answers, long? openedAt, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var submittedAt = openedAt is { } t && t <= now.ToUnixTimeSeconds() && t >= now.AddDays(-2).ToUnixTimeSeconds() ? DateTimeOffset.FromUnixTimeSeconds(t) : now;
        var body = JsonSerializer.SerializeToElement(new Dictionary<string, object>
        {
            ["formId"] = form.Id,
            ["responseId"] = links.ResponseId(form.Id, meetingId, respondent.PersonId),
            ["submittedAt"] = submittedAt.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["respondentPersonId"] = respondent.PersonId,
            ["answers"] = answers,
        });
        return await ingestion.UpsertFormSubmissionsAsync([new FormSubmissionEnvelope { Body = body }], ct);
    }

    /// <summary>
    /// The feedback answers a posted form holds (<c>q.{key}</c> fields), checked against the questions: a scale is 1–5,
    /// a choice one of the question's (posted by its position), a text at most <see cref="MaxTextAnswer"/> characters;
    /// a required question must be answered. Problems are keyed by question.
    /// </summary>
    public static (Dictionary<string, string> Answers, List<string> Missing, List<string> Invalid) ReadFeedback(FormDefinition form, IFormCollection posted)
    {
        var answers = new Dictionary<string, string>(StringComparer.Ordinal);
        var (missing, invalid) = (new List<string>(), new List<string>());
        foreach (var question in form.Questions ?? [])
        {
            var value = posted["q." + question.Key].ToString().Trim();
            if (value.Length == 0)
            {
                if (question.Required)
                {
                    missing.Add(question.Key);
                }

                continue;
            }

            string? answer = question.Kind switch
            {
                FormQuestionKind.Scale => value is "1" or "2" or "3" or "4" or "5" ? value : null,
                FormQuestionKind.Choice => int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < question.Choices.Count ? question.Choices[i].Text : null,
                _ => value.Length <= MaxTextAnswer && !value.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t')) ? value.ReplaceLineEndings("\n") : null,
            };
            if (answer is null)
            {
                invalid.Add(question.Key);
            }
            else
            {
                answers[question.Key] = answer;
            }
        }

        return (answers, missing, invalid);
    }

    /// <summary>The diagnostic answers a posted form holds (<c>item{n}</c> = A, B or C), under the form's own question keys; every item is required.</summary>
    public static (Dictionary<string, string> Answers, List<int> Missing) ReadDiagnostic(IReadOnlyList<string> itemKeys, IFormCollection posted)
    {
        var answers = new Dictionary<string, string>(StringComparer.Ordinal);
        var missing = new List<int>();
        for (var item = 1; item <= Cacis.ItemCount; item++)
        {
            var value = posted["item" + item.ToString(CultureInfo.InvariantCulture)].ToString();
            if (value is "A" or "B" or "C")
            {
                answers[itemKeys[item - 1]] = value;
            }
            else
            {
                missing.Add(item);
            }
        }

        return (answers, missing);
    }
}
