using Engagement.Core.Domain;
using Engagement.Core.Validation;

namespace Engagement.Core.Ingestion;

/// <summary>Checks the questions of a form the product's own pages ask (its feedback form).</summary>
internal static class FormQuestions
{
    public const int MaxQuestions = 30;
    public const int MaxKeyLength = 64;
    public const int MinChoices = 2;
    public const int MaxChoices = 12;
    public const int MaxChoiceLength = 200;

    public static List<FormQuestion>? Validate(IReadOnlyList<FormQuestionInput?>? inputs, ValidationErrors errors)
    {
        if (inputs is null)
        {
            return null;
        }

        if (inputs.Count == 0 || inputs.Count > MaxQuestions)
        {
            errors.Add("questions", $"'questions' holds 1 to {MaxQuestions} questions (leave it out for a form answered elsewhere).");
            return null;
        }

        var questions = new List<FormQuestion>(inputs.Count);
        var keys = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < inputs.Count; i++)
        {
            var p = $"questions[{i}]";
            if (inputs[i] is not { } input)
            {
                errors.Add(p, $"'{p}' must be an object.");
                continue;
            }

            var key = Key(input.Key, $"{p}.key", errors);
            if (key.Length > 0)
            {
                IngestionService.CheckDuplicate(keys, key, i, $"{p}.key", errors, "question key");
            }

            var kind = Check.Enum<FormQuestionKind>(input.Kind, $"{p}.kind", errors);
            var choices = Choices(input.Choices, kind, p, errors);
            questions.Add(new FormQuestion
            {
                Key = key,
                Kind = kind,
                Text = Check.RequiredText(input.Text, $"{p}.text", errors),
                TextEn = Check.OptionalText(input.TextEn, $"{p}.textEn", errors),
                Required = input.Required ?? false,
                Choices = choices,
            });
        }

        return questions;
    }

    /// <summary>A key is stored in the answers as Microsoft Forms' question keys are: it must not be one of the envelope's own names.</summary>
    private static string Key(string? key, string field, ValidationErrors errors)
    {
        if (string.IsNullOrWhiteSpace(key))
        {
            errors.Add(field, $"'{field}' is required.");
            return string.Empty;
        }

        if (key.Length > MaxKeyLength || !key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            errors.Add(field, $"'{field}' is 1 to {MaxKeyLength} letters, digits, '-', '_' or '.'.");
            return string.Empty;
        }

        if (FormSubmissions.EnvelopeKeys.Contains(key))
        {
            errors.Add(field, $"'{key}' names a field of the submission itself; choose another key.");
            return string.Empty;
        }

        return key;
    }

    private static List<FormChoice> Choices(IReadOnlyList<FormChoiceInput?>? inputs, FormQuestionKind kind, string p, ValidationErrors errors)
    {
        if (kind != FormQuestionKind.Choice)
        {
            if (inputs is { Count: > 0 })
            {
                errors.Add($"{p}.choices", $"'{p}.choices' are only for a question of kind 'choice'.");
            }

            return [];
        }

        if (inputs is null || inputs.Count < MinChoices || inputs.Count > MaxChoices)
        {
            errors.Add($"{p}.choices", $"A choice question has {MinChoices} to {MaxChoices} choices.");
            return [];
        }

        var choices = new List<FormChoice>(inputs.Count);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var j = 0; j < inputs.Count; j++)
        {
            var c = $"{p}.choices[{j}]";
            if (inputs[j] is not { } input)
            {
                errors.Add(c, $"'{c}' must be an object with 'text'.");
                continue;
            }

            var text = Check.RequiredText(input.Text, $"{c}.text", errors);
            if (text.Length > MaxChoiceLength)
            {
                errors.Add($"{c}.text", $"'{c}.text' must be at most {MaxChoiceLength} characters.");
            }

            IngestionService.CheckDuplicate(seen, WireNames.Normalize(text), j, $"{c}.text", errors, "choice");
            choices.Add(new FormChoice(text, Check.OptionalText(input.TextEn, $"{c}.textEn", errors, MaxChoiceLength)));
        }

        return choices;
    }
}
