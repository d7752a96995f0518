using System.Globalization;
using System.Text.Json;
using Engagement.Core.Domain;
using Engagement.Core.Storage;
using Engagement.Core.Validation;

namespace Engagement.Core.Ingestion;

/// <summary>
/// Reads form submissions in two shapes: ours (<c>formId</c>, <c>responseId</c>, <c>submittedAt</c>,
/// <c>answers</c>) and the body of Power Automate's "Get response details" (<c>responder</c>,
/// <c>submitDate</c> in <c>M/d/yyyy h:mm:ss tt</c> UTC, one <c>r…</c> key per question, multi-choice answers
/// as a JSON array serialised in a string). Both may be mixed, as in a flow that wraps the response details.
/// </summary>
internal static class FormSubmissions
{
    private const int MaxAnswers = 400;
    private const int MaxAnswerLength = 10_000;

    internal static readonly HashSet<string> EnvelopeKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        "formId", "responseId", "partnershipId", "kind", "respondent", "respondentPersonId", "responder", "submittedAt", "submitDate", "answers",
    };

    private static readonly string[] PowerAutomateDateFormats =
    [
        "M/d/yyyy h:mm:ss tt", "M/d/yyyy h:mm tt", "M/d/yyyy H:mm:ss", "M/d/yyyy H:mm",
    ];

    public static DiagnosticMapping? ValidateMapping(FormInput input, ValidationErrors errors)
    {
        if (input.Items is not { Count: > 0 } items)
        {
            errors.Add("items", "A diagnostic form needs 'items': question key → CACIS item number (1–18).");
            return null;
        }

        var usedBy = new Dictionary<int, string>();
        foreach (var (key, item) in items)
        {
            var field = $"items.{key}";
            if (string.IsNullOrWhiteSpace(key) || key.Length > 400 || key.Any(char.IsControl))
            {
                errors.Add(field, "Question keys must be 1–400 characters without control characters.");
            }

            if (item is < 1 or > Cacis.ItemCount)
            {
                errors.Add(field, $"'{field}' must be an item number from 1 to {Cacis.ItemCount}.");
            }
            else if (usedBy.TryGetValue(item, out var other))
            {
                errors.Add(field, $"Item {item} is already mapped from question '{other}'.");
            }
            else
            {
                usedBy[item] = key;
            }
        }

        var labels = new Dictionary<string, DiagnosticAnswer>(StringComparer.Ordinal);
        foreach (var (letter, list) in input.AnswerLabels ?? new Dictionary<string, IReadOnlyList<string>>())
        {
            var field = $"answerLabels.{letter}";
            if (!Enum.TryParse<DiagnosticAnswer>(letter, ignoreCase: false, out var answer) || letter.Length != 1)
            {
                errors.Add(field, "Answer labels are keyed A, B or C.");
                continue;
            }

            foreach (var label in list ?? [])
            {
                var normalized = string.IsNullOrWhiteSpace(label) ? string.Empty : WireNames.Normalize(label);
                if (normalized.Length == 0)
                {
                    errors.Add(field, "Answer labels must not be blank.");
                }
                else if (labels.TryGetValue(normalized, out var previous) && previous != answer)
                {
                    errors.Add(field, $"The label '{Check.Shorten(label)}' is already given for {previous}.");
                }
                else
                {
                    labels[normalized] = answer;
                }
            }
        }

        return new DiagnosticMapping { Items = new Dictionary<string, int>(items, StringComparer.Ordinal), AnswerLabels = labels };
    }

    public static async Task<FormSubmission?> ParseAsync(
        FormSubmissionEnvelope envelope,
        string prefix,
        ValidationErrors errors,
        IPartnershipStore partnershipStore,
        IRosterStore rosterStore,
        IFormStore formStore,
        Dictionary<string, FormDefinition?> forms,
        Dictionary<string, PartnershipKeys?> keysCache,
        CancellationToken cancellationToken)
    {
        var before = errors.Count;
        string F(string member) => ValidationErrors.Field(prefix, member);
        var body = envelope.Body;
        if (body.ValueKind != JsonValueKind.Object)
        {
            errors.Add(prefix.Length == 0 ? "body" : prefix, "A submission must be a JSON object.");
            return null;
        }

        var formId = Check.Id(Text(body, "formId", F("formId"), errors) ?? envelope.FormId, F("formId"), errors);
        var responseId = Check.Id(Text(body, "responseId", F("responseId"), errors) ?? envelope.ResponseId, F("responseId"), errors);

        FormDefinition? form = null;
        if (formId.Length > 0 && !forms.TryGetValue(formId, out form))
        {
            form = await formStore.GetFormAsync(formId, cancellationToken);
            forms[formId] = form;
        }

        var givenPartnership = Text(body, "partnershipId", F("partnershipId"), errors) ?? envelope.PartnershipId;
        string partnershipId;
        if (form is not null)
        {
            partnershipId = form.PartnershipId;
            if (givenPartnership is not null && givenPartnership != form.PartnershipId)
            {
                errors.Add(F("partnershipId"), $"Form '{formId}' is registered to partnership '{form.PartnershipId}', not '{Check.Shorten(givenPartnership)}'.");
            }
        }
        else if (givenPartnership is null)
        {
            errors.Add(F("partnershipId"), $"Form '{formId}' is not registered: give 'partnershipId' (in the body or the query string), or register the form with PUT /api/forms/{{formId}}.");
            partnershipId = string.Empty;
        }
        else
        {
            partnershipId = Check.Id(givenPartnership, F("partnershipId"), errors);
        }

        PartnershipKeys? keys = null;
        if (partnershipId.Length > 0 && !keysCache.TryGetValue(partnershipId, out keys))
        {
            keys = await partnershipStore.GetPartnershipAsync(partnershipId, cancellationToken) is null
                ? null
                : await rosterStore.GetKeysAsync(partnershipId, cancellationToken);
            keysCache[partnershipId] = keys;
        }

        if (partnershipId.Length > 0 && keys is null)
        {
            errors.Add(F("partnershipId"), $"Partnership '{partnershipId}' does not exist.");
        }

        var kindText = Text(body, "kind", F("kind"), errors);
        FormKind kind;
        if (form is not null)
        {
            kind = form.Kind;
            if (kindText is not null && (!WireNames.TryParse<FormKind>(kindText, out var given) || given != form.Kind))
            {
                errors.Add(F("kind"), $"Form '{formId}' is registered as '{WireNames.Format(form.Kind)}'.");
            }
        }
        else
        {
            kind = Check.Enum(kindText, F("kind"), errors, FormKind.Other);
            if (kind == FormKind.Diagnostic)
            {
                errors.Add(F("formId"), $"Diagnostic form '{formId}' must be registered with its item mapping first (PUT /api/forms/{{formId}}).");
            }
        }

        // Power Automate's "wrapped" shape puts the response's own fields (submitDate, responder) inside 'answers':
        // read there when the body itself does not give them.
        var isWrapped = body.TryGetProperty("answers", out var wrapped);
        var wrappedObject = isWrapped && wrapped.ValueKind == JsonValueKind.Object;
        string InAnswers(string name) => ValidationErrors.Field(F("answers"), name);
        var (personId, email) = wrappedObject && !HasAny(body, "respondentPersonId", "respondent", "responder") && HasAny(wrapped, "responder")
            ? Respondent(wrapped, keys, InAnswers, errors)
            : Respondent(body, keys, F, errors);
        var submittedAt = wrappedObject && !HasAny(body, "submittedAt", "submitDate") && HasAny(wrapped, "submitDate")
            ? SubmittedAt(wrapped, InAnswers, errors)
            : SubmittedAt(body, F, errors);

        var answersPrefix = isWrapped ? F("answers") : prefix;
        var answers = Answers(isWrapped ? wrapped : body, answersPrefix, isEnvelope: !isWrapped, errors);
        IReadOnlyDictionary<int, DiagnosticAnswer>? items = null;
        if (kind == FormKind.Diagnostic && form?.Diagnostic is { } mapping && answers is not null)
        {
            items = DiagnosticItems(mapping, answers, answersPrefix, errors);
        }

        if (errors.Count > before || answers is null)
        {
            return null;
        }

        return new FormSubmission
        {
            PartnershipId = partnershipId,
            FormId = formId,
            ResponseId = responseId,
            Kind = kind,
            RespondentPersonId = personId,
            RespondentEmail = personId is null ? email : null,
            SubmittedAt = submittedAt,
            Answers = answers,
            DiagnosticItems = items,
        };
    }

    private static (string? PersonId, string? Email) Respondent(JsonElement body, PartnershipKeys? keys, Func<string, string> f, ValidationErrors errors)
    {
        var personId = Text(body, "respondentPersonId", f("respondentPersonId"), errors);
        if (personId is not null)
        {
            Check.Id(personId, f("respondentPersonId"), errors);
            if (keys is not null && !keys.PersonIds.Contains(personId))
            {
                errors.Add(f("respondentPersonId"), $"Person '{Check.Shorten(personId)}' is not registered in this partnership.");
            }

            return (personId, null);
        }

        string? email = null;
        if (Text(body, "respondent", f("respondent"), errors) is { } respondent)
        {
            email = Check.OptionalEmail(respondent, f("respondent"), errors);
        }
        else if (Text(body, "responder", f("responder"), errors) is { } responder && Check.IsEmail(responder.Trim()))
        {
            // Anonymous Power Automate responses carry a blank or non-address responder: kept anonymous.
            email = responder.Trim().ToLowerInvariant();
        }

        if (email is not null && keys is not null && keys.PersonIdsByEmail.TryGetValue(email, out var matched))
        {
            return (matched, null);
        }

        return (null, email);
    }

    private static bool HasAny(JsonElement body, params string[] names) =>
        body.ValueKind == JsonValueKind.Object && names.Any(n => body.TryGetProperty(n, out var v) && v.ValueKind is not JsonValueKind.Null and not JsonValueKind.Undefined);

    private static DateTimeOffset SubmittedAt(JsonElement body, Func<string, string> f, ValidationErrors errors)
    {
        if (Text(body, "submittedAt", f("submittedAt"), errors) is { } strict)
        {
            return Check.Timestamp(strict, f("submittedAt"), errors);
        }

        if (Text(body, "submitDate", f("submitDate"), errors) is { } lenient)
        {
            var text = lenient.Trim();
            if (Check.TryParseTimestamp(text, out var iso, out _))
            {
                return iso;
            }

            // Power Automate writes submitDate in UTC without saying so.
            if (DateTime.TryParseExact(text, PowerAutomateDateFormats, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var utc))
            {
                return new DateTimeOffset(utc, TimeSpan.Zero);
            }

            errors.Add(f("submitDate"), $"'{f("submitDate")}' is neither M/d/yyyy h:mm:ss AM/PM nor ISO 8601.");
            return default;
        }

        errors.Add(f("submittedAt"), $"'{f("submittedAt")}' is required (ISO 8601 with an offset), or 'submitDate' as Power Automate sends it.");
        return default;
    }

    private static Dictionary<string, IReadOnlyList<string>>? Answers(JsonElement element, string prefix, bool isEnvelope, ValidationErrors errors)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            errors.Add(ValidationErrors.Field(prefix, "answers"), "'answers' must be an object: question key → answer.");
            return null;
        }

        var answers = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            var key = property.Name;
            if (key.StartsWith('@') || (EnvelopeKeys.Contains(key) && (isEnvelope || key is "responder" or "submitDate")))
            {
                continue;
            }

            var field = ValidationErrors.Field(prefix, key);
            if (key.Length > 400 || key.Any(char.IsControl))
            {
                errors.Add(field, "Question keys must be at most 400 characters without control characters.");
                continue;
            }

            var values = AnswerValues(property.Value, field, errors);
            if (values.Count > 0)
            {
                answers[key] = values;
            }
        }

        if (answers.Count > MaxAnswers)
        {
            errors.Add(ValidationErrors.Field(prefix, "answers"), $"At most {MaxAnswers} answers are accepted.");
        }

        return answers;
    }

    private static List<string> AnswerValues(JsonElement value, string field, ValidationErrors errors)
    {
        var values = new List<string>();
        void Add(string text)
        {
            var trimmed = text.Trim();
            if (trimmed.Length == 0)
            {
                return;
            }

            if (trimmed.Length > MaxAnswerLength)
            {
                errors.Add(field, $"'{field}' is longer than {MaxAnswerLength} characters.");
                return;
            }

            values.Add(trimmed);
        }

        switch (value.ValueKind)
        {
            case JsonValueKind.Null or JsonValueKind.Undefined:
                break;
            case JsonValueKind.String:
                var text = value.GetString()!;
                var trimmed = text.Trim();
                if (trimmed.StartsWith('[') && trimmed.EndsWith(']') && TryParseStringArray(trimmed, out var choices))
                {
                    // Multi-choice answers arrive as a JSON array serialised in a string.
                    choices.ForEach(Add);
                }
                else
                {
                    Add(text);
                }

                break;
            case JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False:
                Add(value.GetRawText());
                break;
            case JsonValueKind.Array:
                foreach (var item in value.EnumerateArray())
                {
                    if (item.ValueKind is JsonValueKind.String)
                    {
                        Add(item.GetString()!);
                    }
                    else if (item.ValueKind is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False)
                    {
                        Add(item.GetRawText());
                    }
                    else if (item.ValueKind is not JsonValueKind.Null)
                    {
                        errors.Add(field, $"'{field}' must hold text, numbers or a list of them.");
                    }
                }

                break;
            default:
                errors.Add(field, $"'{field}' must hold text, numbers or a list of them.");
                break;
        }

        return values;
    }

    private static bool TryParseStringArray(string text, out List<string> values)
    {
        values = [];
        try
        {
            using var document = JsonDocument.Parse(text);
            foreach (var item in document.RootElement.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.String)
                {
                    return false;
                }

                values.Add(item.GetString()!);
            }

            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static Dictionary<int, DiagnosticAnswer> DiagnosticItems(DiagnosticMapping mapping, Dictionary<string, IReadOnlyList<string>> answers, string prefix, ValidationErrors errors)
    {
        var items = new Dictionary<int, DiagnosticAnswer>();
        foreach (var (key, item) in mapping.Items)
        {
            if (!answers.TryGetValue(key, out var values))
            {
                continue;
            }

            var field = ValidationErrors.Field(prefix, key);
            if (values.Count != 1)
            {
                errors.Add(field, $"Item {item} takes one answer (A, B or C), not {values.Count}.");
            }
            else if (mapping.TryMapAnswer(values[0], out var answer))
            {
                items[item] = answer;
            }
            else
            {
                errors.Add(field, $"'{Check.Shorten(values[0])}' is not an answer label of item {item}; expected A, B, C or a label registered for the form.");
            }
        }

        return items;
    }

    private static string? Text(JsonElement body, string name, string field, ValidationErrors errors)
    {
        foreach (var property in body.EnumerateObject())
        {
            if (!property.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            return property.Value.ValueKind switch
            {
                JsonValueKind.String => string.IsNullOrWhiteSpace(property.Value.GetString()) ? null : property.Value.GetString(),
                JsonValueKind.Number => property.Value.GetRawText(),
                JsonValueKind.Null => null,
                _ => Invalid(field, errors),
            };
        }

        return null;
    }

    private static string? Invalid(string field, ValidationErrors errors)
    {
        errors.Add(field, $"'{field}' must be text.");
        return null;
    }
}
