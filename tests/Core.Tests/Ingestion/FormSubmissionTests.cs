using System.Text.Json;
using Engagement.Core.Domain;
using Engagement.Core.Ingestion;
using Engagement.Core.Validation;

namespace Engagement.Core.Tests.Ingestion;

/// <summary>Form submissions through <see cref="IngestionService.UpsertFormSubmissionsAsync"/>, both shapes, on a real SQLite store.</summary>
public sealed class FormSubmissionTests : IDisposable
{
    private const string P = "table-hochelaga";
    private const string DiagnosticFormId = "cacis-2026";

    // Power Automate question keys, as "Get response details" names them.
    private const string Q1 = "r5caae6a11afb406a8e77e0b242fb4cab";
    private const string Q2 = "r8718cecca56b4ed692e9042452d04195";

    private readonly TempSqliteStore _db = new();
    private readonly IngestionService _service;

    public FormSubmissionTests() => _service = _db.Ingestion();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task UpsertFormSubmissionsAsync_PowerAutomateWrapped_ReadsSubmitDateAndResponderInsideAnswers()
    {
        // Issue 15, item 12: this shape was refused with "'submittedAt' is required".
        await SeedAsync();

        var counts = await _service.UpsertFormSubmissionsAsync([Envelope("""
            {
              "formId": "feedback-jan",
              "responseId": "43",
              "partnershipId": "table-hochelaga",
              "answers": { "responder": "marie@example.org", "submitDate": "1/14/2026 2:15:00 AM", "r1a2b3": "Oui" }
            }
            """)]);

        Assert.Equal(new WriteCounts(1, 0, 0), counts);
        var stored = Assert.Single(await _db.Store.Forms.ListFormSubmissionsAsync(P));
        Assert.Equal(new DateTimeOffset(2026, 1, 14, 2, 15, 0, TimeSpan.Zero), stored.SubmittedAt);
        Assert.Equal("marie", stored.RespondentPersonId);
        Assert.Equal(["r1a2b3"], stored.Answers.Keys);
    }

    [Fact]
    public async Task UpsertFormSubmissionsAsync_WrappedWithABadSubmitDate_NamesItInsideAnswers()
    {
        await SeedAsync();

        var error = await Assert.ThrowsAsync<ValidationFailedException>(() => _service.UpsertFormSubmissionsAsync([Envelope("""
            {"formId":"feedback-jan","responseId":"44","partnershipId":"table-hochelaga","answers":{"submitDate":"yesterday","r1":"Oui"}}
            """)]));

        Assert.Contains("answers.submitDate", error.Errors.ToDictionary().Keys);
    }

    [Fact]
    public async Task UpsertFormSubmissionsAsync_OurShape_StoresEveryField()
    {
        await SeedAsync();

        var counts = await _service.UpsertFormSubmissionsAsync([Envelope("""
            {
              "formId": "feedback-jan",
              "responseId": "42",
              "partnershipId": "table-hochelaga",
              "kind": "rétroaction",
              "respondent": "Marie@Example.org",
              "submittedAt": "2026-01-13T21:15:00-05:00",
              "answers": { "utile": "Oui", "sujets": ["Logement", "Transport"], "note": 4, "vide": "  " }
            }
            """)]);

        Assert.Equal(new WriteCounts(1, 0, 0), counts);
        var stored = Assert.Single(await _db.Store.Forms.ListFormSubmissionsAsync(P));
        Assert.Equal(("feedback-jan", "42", FormKind.Feedback, "marie", (string?)null), (stored.FormId, stored.ResponseId, stored.Kind, stored.RespondentPersonId, stored.RespondentEmail));
        Assert.Equal(new DateTimeOffset(2026, 1, 13, 21, 15, 0, TimeSpan.FromHours(-5)), stored.SubmittedAt);
        Assert.Equal(TimeSpan.FromHours(-5), stored.SubmittedAt.Offset);
        Assert.Equal(["Oui"], stored.Answers["utile"]);
        Assert.Equal(["Logement", "Transport"], stored.Answers["sujets"]);
        Assert.Equal(["4"], stored.Answers["note"]);
        Assert.False(stored.Answers.ContainsKey("vide"));
        Assert.Null(stored.DiagnosticItems);
    }

    [Fact]
    public async Task UpsertFormSubmissionsAsync_PowerAutomateShapeWithQueryValues_ParsesDateChoicesAndResponder()
    {
        await SeedAsync();
        var envelope = Envelope("""
            {"responder":"marie@example.org","submitDate":"3/14/2026 3:23:34 PM","r5caae6a11afb406a8e77e0b242fb4cab":"Oui","r8718cecca56b4ed692e9042452d04195":"[\"Option A\",\"Option B\"]"}
            """, "suivi-mars", "17", P);

        Assert.Equal(new WriteCounts(1, 0, 0), await _service.UpsertFormSubmissionsAsync([envelope]));

        var stored = Assert.Single(await _db.Store.Forms.ListFormSubmissionsAsync(P));
        Assert.Equal(("suivi-mars", "17", P), (stored.FormId, stored.ResponseId, stored.PartnershipId));
        Assert.Equal(new DateTimeOffset(2026, 3, 14, 15, 23, 34, TimeSpan.Zero), stored.SubmittedAt);
        Assert.Equal(TimeSpan.Zero, stored.SubmittedAt.Offset);
        Assert.Equal("marie", stored.RespondentPersonId);
        Assert.Null(stored.RespondentEmail);
        Assert.Equal(FormKind.Other, stored.Kind);
        Assert.Equal([Q1, Q2], stored.Answers.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["Oui"], stored.Answers[Q1]);
        Assert.Equal(["Option A", "Option B"], stored.Answers[Q2]);
    }

    [Fact]
    public async Task UpsertFormSubmissionsAsync_UnknownResponder_KeepsTheEmailWithoutPerson()
    {
        await SeedAsync();
        var envelope = Envelope("""{"responder":"Inconnu@Example.org","submitDate":"3/14/2026 3:23:34 PM","q":"x"}""", "suivi-mars", "18", P);

        await _service.UpsertFormSubmissionsAsync([envelope]);

        var stored = Assert.Single(await _db.Store.Forms.ListFormSubmissionsAsync(P));
        Assert.Null(stored.RespondentPersonId);
        Assert.Equal("inconnu@example.org", stored.RespondentEmail);
    }

    [Fact]
    public async Task UpsertFormSubmissionsAsync_AnonymousResponder_StoresNoRespondent()
    {
        await SeedAsync();
        var envelope = Envelope("""{"responder":"","submitDate":"3/14/2026 3:23:34 PM","q":"x"}""", "suivi-mars", "19", P);

        await _service.UpsertFormSubmissionsAsync([envelope]);

        var stored = Assert.Single(await _db.Store.Forms.ListFormSubmissionsAsync(P));
        Assert.Null(stored.RespondentPersonId);
        Assert.Null(stored.RespondentEmail);
    }

    [Fact]
    public async Task UpsertFormSubmissionsAsync_UnregisteredFormWithoutPartnership_NamesPartnershipId()
    {
        await SeedAsync();
        var envelope = Envelope("""{"responder":"marie@example.org","submitDate":"3/14/2026 3:23:34 PM","q":"x"}""", "suivi-mars", "17");

        var ex = await Assert.ThrowsAsync<ValidationFailedException>(() => _service.UpsertFormSubmissionsAsync([envelope]));

        Assert.True(ex.Errors.Contains("partnershipId"));
    }

    [Fact]
    public async Task UpsertFormSubmissionsAsync_UnregisteredDiagnostic_IsRejected()
    {
        await SeedAsync();

        var ex = await Assert.ThrowsAsync<ValidationFailedException>(() => _service.UpsertFormSubmissionsAsync([Envelope("""
            {"formId":"diag-inconnu","responseId":"1","partnershipId":"table-hochelaga","kind":"diagnostic","submittedAt":"2026-03-14T15:23:34Z","answers":{"q1":"A"}}
            """)]));

        Assert.True(ex.Errors.Contains("formId"));
        Assert.Empty(await _db.Store.Forms.ListFormSubmissionsAsync(P));
    }

    [Fact]
    public async Task UpsertFormSubmissionsAsync_RegisteredDiagnostic_MapsLabelsToItems()
    {
        await SeedAsync();
        await RegisterDiagnosticAsync();
        var envelope = Envelope($$"""
            {"responder":"marie@example.org","submitDate":"3/14/2026 3:23:34 PM","{{Q1}}":"Tout à fait","{{Q2}}":"Plutôt","q03":"C) Pas du tout","q18":"b","commentaire":"Merci"}
            """, DiagnosticFormId, "1");

        await _service.UpsertFormSubmissionsAsync([envelope]);

        var stored = Assert.Single(await _db.Store.Forms.ListFormSubmissionsAsync(P));
        Assert.Equal(FormKind.Diagnostic, stored.Kind);
        Assert.Equal(P, stored.PartnershipId);
        Assert.NotNull(stored.DiagnosticItems);
        Assert.Equal(
            new Dictionary<int, DiagnosticAnswer> { [1] = DiagnosticAnswer.A, [2] = DiagnosticAnswer.B, [3] = DiagnosticAnswer.C, [18] = DiagnosticAnswer.B },
            stored.DiagnosticItems.OrderBy(i => i.Key).ToDictionary());
        Assert.Equal(["Merci"], stored.Answers["commentaire"]);
    }

    [Fact]
    public async Task UpsertFormSubmissionsAsync_DiagnosticWithInvalidLabel_NamesTheQuestionKey()
    {
        await SeedAsync();
        await RegisterDiagnosticAsync();
        var envelope = Envelope($$"""
            {"responder":"marie@example.org","submitDate":"3/14/2026 3:23:34 PM","{{Q1}}":"Absolutely","{{Q2}}":"A"}
            """, DiagnosticFormId, "1");

        var ex = await Assert.ThrowsAsync<ValidationFailedException>(() => _service.UpsertFormSubmissionsAsync([envelope]));

        Assert.Equal([Q1], ex.Errors.ToDictionary().Keys);
        Assert.Empty(await _db.Store.Forms.ListFormSubmissionsAsync(P));
    }

    [Fact]
    public async Task UpsertFormSubmissionsAsync_DiagnosticInOurShapeWithInvalidLabel_NamesAnswersKey()
    {
        await SeedAsync();
        await RegisterDiagnosticAsync();

        var ex = await Assert.ThrowsAsync<ValidationFailedException>(() => _service.UpsertFormSubmissionsAsync([Envelope("""
            {"formId":"cacis-2026","responseId":"2","submittedAt":"2026-03-14T15:23:34Z","answers":{"q03":"D","q04":["A","B"]}}
            """)]));

        Assert.Equal(["answers.q03", "answers.q04"], ex.Errors.ToDictionary().Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task UpsertFormSubmissionsAsync_DiagnosticKindContradictingRegistration_IsRejected()
    {
        await SeedAsync();
        await RegisterDiagnosticAsync();

        var ex = await Assert.ThrowsAsync<ValidationFailedException>(() => _service.UpsertFormSubmissionsAsync([Envelope("""
            {"formId":"cacis-2026","responseId":"2","kind":"feedback","partnershipId":"autre","submittedAt":"2026-03-14T15:23:34Z","answers":{"q03":"A"}}
            """)]));

        Assert.True(ex.Errors.Contains("kind"));
        Assert.True(ex.Errors.Contains("partnershipId"));
    }

    [Fact]
    public async Task UpsertFormSubmissionsAsync_SameSubmissionTwice_SecondIsUnchanged()
    {
        await SeedAsync();
        await RegisterDiagnosticAsync();
        var envelope = Envelope($$"""
            {"responder":"marie@example.org","submitDate":"3/14/2026 3:23:34 PM","{{Q1}}":"Tout à fait","{{Q2}}":"[\"B\"]"}
            """, DiagnosticFormId, "1");

        Assert.Equal(new WriteCounts(1, 0, 0), await _service.UpsertFormSubmissionsAsync([envelope]));
        Assert.Equal(new WriteCounts(0, 0, 1), await _service.UpsertFormSubmissionsAsync([envelope]));
    }

    [Fact]
    public async Task UpsertFormSubmissionsAsync_DuplicateResponseInRequest_NamesTheSecond()
    {
        await SeedAsync();
        var first = Envelope("""{"formId":"f","responseId":"1","partnershipId":"table-hochelaga","submittedAt":"2026-03-14T15:23:34Z","answers":{"q":"x"}}""");

        var ex = await Assert.ThrowsAsync<ValidationFailedException>(() => _service.UpsertFormSubmissionsAsync([first, first]));

        Assert.True(ex.Errors.Contains("[1].responseId"));
    }

    [Fact]
    public async Task UpsertFormSubmissionsAsync_SubmittedAtWithoutOffsetOrBadSubmitDate_NamesTheField()
    {
        await SeedAsync();
        var strict = Envelope("""{"formId":"f","responseId":"1","partnershipId":"table-hochelaga","submittedAt":"2026-03-14T15:23:34","answers":{"q":"x"}}""");
        var lenient = Envelope("""{"formId":"f","responseId":"2","partnershipId":"table-hochelaga","submitDate":"14 mars 2026","q":"x"}""");

        var ex = await Assert.ThrowsAsync<ValidationFailedException>(() => _service.UpsertFormSubmissionsAsync([strict, lenient]));

        Assert.True(ex.Errors.Contains("[0].submittedAt"));
        Assert.True(ex.Errors.Contains("[1].submitDate"));
    }

    [Fact]
    public async Task UpsertFormSubmissionsAsync_NotAnObject_NamesBody()
    {
        var ex = await Assert.ThrowsAsync<ValidationFailedException>(() => _service.UpsertFormSubmissionsAsync([Envelope("[1,2]")]));

        Assert.True(ex.Errors.Contains("body"));
    }

    [Fact]
    public async Task UpsertFormAsync_DiagnosticWithoutItemsOrWithBadItems_IsRefused()
    {
        await SeedAsync();

        var none = await Assert.ThrowsAsync<ValidationFailedException>(() =>
            _service.UpsertFormAsync("d1", new FormInput { PartnershipId = P, Kind = "diagnostic" }));
        var bad = await Assert.ThrowsAsync<ValidationFailedException>(() => _service.UpsertFormAsync("d2", new FormInput
        {
            PartnershipId = P,
            Kind = "diagnostic",
            Items = new Dictionary<string, int> { ["a"] = 0, ["b"] = 3, ["c"] = 3 },
            AnswerLabels = new Dictionary<string, IReadOnlyList<string>> { ["D"] = ["Jamais"] },
        }));

        Assert.True(none.Errors.Contains("items"));
        Assert.True(bad.Errors.Contains("items.a"));
        Assert.True(bad.Errors.Contains("items.c"));
        Assert.True(bad.Errors.Contains("answerLabels.D"));
    }

    [Fact]
    public async Task UpsertFormAsync_ItemsOnANonDiagnosticForm_IsRefused()
    {
        await SeedAsync();

        var ex = await Assert.ThrowsAsync<ValidationFailedException>(() => _service.UpsertFormAsync("f1", new FormInput
        {
            PartnershipId = P,
            Kind = "feedback",
            Items = new Dictionary<string, int> { ["a"] = 1 },
        }));

        Assert.True(ex.Errors.Contains("items"));
    }

    [Fact]
    public async Task UpsertFormAsync_RegisteredToAnotherPartnership_IsRefused()
    {
        await SeedAsync();
        await _service.UpsertPartnershipAsync("autre", new PartnershipInput { Name = "Autre table" });
        await _service.UpsertFormAsync("f1", new FormInput { PartnershipId = P, Kind = "feedback" });

        var ex = await Assert.ThrowsAsync<ValidationFailedException>(() =>
            _service.UpsertFormAsync("f1", new FormInput { PartnershipId = "autre", Kind = "feedback" }));

        Assert.True(ex.Errors.Contains("partnershipId"));
    }

    /// <summary>An envelope as the API builds it: the body parsed from JSON text, ids from the query string.</summary>
    private static FormSubmissionEnvelope Envelope(string json, string? formId = null, string? responseId = null, string? partnershipId = null)
    {
        using var document = JsonDocument.Parse(json);
        return new FormSubmissionEnvelope { Body = document.RootElement.Clone(), FormId = formId, ResponseId = responseId, PartnershipId = partnershipId };
    }

    private async Task SeedAsync()
    {
        await _service.UpsertPartnershipAsync(P, new PartnershipInput { Name = "Table de quartier Hochelaga" });
        await _service.UpsertPeopleAsync(P, [new PersonInput { Id = "marie", DisplayName = "Marie Tremblay", Email = "Marie@Example.org" }]);
    }

    private async Task RegisterDiagnosticAsync()
    {
        var items = new Dictionary<string, int> { [Q1] = 1, [Q2] = 2 };
        for (var item = 3; item <= Cacis.ItemCount; item++)
        {
            items[$"q{item:00}"] = item;
        }

        var outcome = await _service.UpsertFormAsync(DiagnosticFormId, new FormInput
        {
            PartnershipId = P,
            Kind = "diagnostic",
            Title = "Autodiagnostic CACIS 2026",
            Items = items,
            AnswerLabels = new Dictionary<string, IReadOnlyList<string>>
            {
                ["A"] = ["Tout à fait"],
                ["B"] = ["Plutôt", "En partie"],
                ["C"] = ["Pas vraiment"],
            },
        });
        Assert.Equal(WriteOutcome.Created, outcome);
    }
}
