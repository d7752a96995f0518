using Engagement.Core.Domain;
using Engagement.Core.Storage;

namespace Engagement.Storage.Tests.Contract;

/// <summary>The behaviour every <see cref="IFormStore"/> must have.</summary>
public abstract class FormStoreContract(IStoreBackend backend) : StoreContract(backend)
{
    [Fact]
    public async Task UpsertFormAsync_NewSameThenChanged_ReturnsCreatedUnchangedUpdated()
    {
        await SeedPartnershipAsync();
        var form = DiagnosticForm();

        Assert.Equal(WriteOutcome.Created, await Stores.Forms.UpsertFormAsync(form));
        Assert.Equal(WriteOutcome.Unchanged, await Stores.Forms.UpsertFormAsync(DiagnosticForm()));
        Assert.Equal(WriteOutcome.Updated, await Stores.Forms.UpsertFormAsync(form with { Title = "Autodiagnostic (version 2)" }));
        var moreLabels = form.Diagnostic! with
        {
            AnswerLabels = new Dictionary<string, DiagnosticAnswer>(form.Diagnostic.AnswerLabels) { ["un-peu"] = DiagnosticAnswer.B },
        };
        Assert.Equal(WriteOutcome.Updated, await Stores.Forms.UpsertFormAsync(form with { Diagnostic = moreLabels }));
    }

    [Fact]
    public async Task GetFormAsync_Diagnostic_RoundTripsTheMapping()
    {
        await SeedPartnershipAsync();
        var form = DiagnosticForm();
        await Stores.Forms.UpsertFormAsync(form);

        var stored = await Stores.Forms.GetFormAsync(form.Id);

        Assert.NotNull(stored);
        Assert.Equal((form.Id, form.PartnershipId, form.Kind, form.Title), (stored.Id, stored.PartnershipId, stored.Kind, stored.Title));
        Assert.NotNull(stored.Diagnostic);
        Assert.Equal(form.Diagnostic!.Items.OrderBy(i => i.Key, StringComparer.Ordinal), stored.Diagnostic.Items.OrderBy(i => i.Key, StringComparer.Ordinal));
        Assert.Equal(form.Diagnostic.AnswerLabels.OrderBy(i => i.Key, StringComparer.Ordinal), stored.Diagnostic.AnswerLabels.OrderBy(i => i.Key, StringComparer.Ordinal));
        Assert.True(stored.Diagnostic.TryMapAnswer("Plutôt", out var answer));
        Assert.Equal(DiagnosticAnswer.B, answer);
    }

    [Fact]
    public async Task GetFormAsync_NonDiagnosticWithoutTitle_HasNullTitleAndMapping()
    {
        await SeedPartnershipAsync();
        await Stores.Forms.UpsertFormAsync(new FormDefinition { Id = "suivi", PartnershipId = P, Kind = FormKind.FollowUp });

        var stored = await Stores.Forms.GetFormAsync("suivi");

        Assert.Equal(new FormDefinition { Id = "suivi", PartnershipId = P, Kind = FormKind.FollowUp }, stored);
    }

    private static FormDefinition QuestionsForm(string id = "retour", string partnershipId = P) => new()
    {
        Id = id,
        PartnershipId = partnershipId,
        Kind = FormKind.Feedback,
        Title = "Retour",
        Questions =
        [
            new FormQuestion { Key = "utile", Kind = FormQuestionKind.Scale, Text = "Utile ?", TextEn = "Useful?", Required = true },
            new FormQuestion { Key = "format", Kind = FormQuestionKind.Choice, Text = "Format", Choices = [new FormChoice("En personne", "In person"), new FormChoice("Hybride")] },
            new FormQuestion { Key = "idees", Kind = FormQuestionKind.Text, Text = new string('é', 200) },
        ],
    };

    [Fact]
    public async Task GetFormAsync_WithQuestions_RoundTripsThem_AndTheSameQuestionsAreUnchanged()
    {
        await SeedPartnershipAsync();
        var form = QuestionsForm();

        Assert.Equal(WriteOutcome.Created, await Stores.Forms.UpsertFormAsync(form));
        Assert.Equal(WriteOutcome.Unchanged, await Stores.Forms.UpsertFormAsync(QuestionsForm()));
        Assert.Equal(form, await Stores.Forms.GetFormAsync("retour"));
        Assert.Equal(WriteOutcome.Updated, await Stores.Forms.UpsertFormAsync(form with { Questions = form.Questions!.Take(2).ToList() }));
        Assert.Equal(2, (await Stores.Forms.GetFormAsync("retour"))!.Questions!.Count);
    }

    [Fact]
    public async Task UpsertFormAsync_QuestionsLongerThanOneTableProperty_RoundTrip()
    {
        await SeedPartnershipAsync();
        var many = Enumerable.Range(0, 30).Select(i => new FormQuestion
        {
            Key = $"q{i}",
            Kind = FormQuestionKind.Choice,
            Text = new string('q', 400),
            TextEn = new string('e', 400),
            Choices = [.. Enumerable.Range(0, 12).Select(c => new FormChoice($"{c}" + new string('c', 190), new string('d', 200)))],
        }).ToList();
        var form = QuestionsForm() with { Questions = many };

        await Stores.Forms.UpsertFormAsync(form);

        Assert.Equal(form, await Stores.Forms.GetFormAsync("retour"));
    }

    [Fact]
    public async Task ListFormsAsync_ListsOnePartnershipsForms_ById()
    {
        await SeedPartnershipAsync();
        await SeedPartnershipAsync("autre");
        await Stores.Forms.UpsertFormAsync(QuestionsForm("z-retour"));
        await Stores.Forms.UpsertFormAsync(DiagnosticForm());
        await Stores.Forms.UpsertFormAsync(QuestionsForm("a-ailleurs", "autre"));

        Assert.Equal(["cacis-2026", "z-retour"], (await Stores.Forms.ListFormsAsync(P)).Select(f => f.Id));
        Assert.Equal(["a-ailleurs"], (await Stores.Forms.ListFormsAsync("autre")).Select(f => f.Id));
        Assert.Empty(await Stores.Forms.ListFormsAsync("personne"));
    }

    [Fact]
    public async Task GetFormAsync_Unknown_ReturnsNull()
    {
        Assert.Null(await Stores.Forms.GetFormAsync("inconnu"));
    }

    [Fact]
    public async Task UpsertFormSubmissionsAsync_SameChangedAndNew_CountsEach()
    {
        await SeedRosterAsync();
        await Stores.Forms.UpsertFormSubmissionsAsync(P, [NewSubmission("1"), NewSubmission("2")]);

        var counts = await Stores.Forms.UpsertFormSubmissionsAsync(P,
        [
            NewSubmission("1"),
            NewSubmission("2") with { Answers = Answers(("q1", ["Non"])) },
            NewSubmission("3"),
        ]);

        Assert.Equal(new WriteCounts(1, 1, 1), counts);
    }

    [Fact]
    public async Task UpsertFormSubmissionsAsync_SameAnswersInAnotherOrder_CountsUnchanged()
    {
        await SeedRosterAsync();
        await Stores.Forms.UpsertFormSubmissionsAsync(P, [NewSubmission("1") with { Answers = Answers(("q1", ["Oui"]), ("q2", ["A", "B"])) }]);

        var counts = await Stores.Forms.UpsertFormSubmissionsAsync(P, [NewSubmission("1") with { Answers = Answers(("q2", ["A", "B"]), ("q1", ["Oui"])) }]);

        Assert.Equal(new WriteCounts(0, 0, 1), counts);
    }

    [Fact]
    public async Task UpsertFormSubmissionsAsync_ChangedDiagnosticItem_CountsUpdated()
    {
        await SeedRosterAsync();
        var submission = NewSubmission("1") with { Kind = FormKind.Diagnostic, DiagnosticItems = new Dictionary<int, DiagnosticAnswer> { [1] = DiagnosticAnswer.A } };
        await Stores.Forms.UpsertFormSubmissionsAsync(P, [submission]);

        Assert.Equal(new WriteCounts(0, 0, 1), await Stores.Forms.UpsertFormSubmissionsAsync(P, [submission with { DiagnosticItems = new Dictionary<int, DiagnosticAnswer> { [1] = DiagnosticAnswer.A } }]));
        Assert.Equal(new WriteCounts(0, 1, 0), await Stores.Forms.UpsertFormSubmissionsAsync(P, [submission with { DiagnosticItems = new Dictionary<int, DiagnosticAnswer> { [1] = DiagnosticAnswer.C } }]));
    }

    [Fact]
    public async Task ListFormSubmissionsAsync_AfterUpsert_RoundTripsEveryField()
    {
        await SeedRosterAsync();
        var diagnostic = new FormSubmission
        {
            PartnershipId = P,
            FormId = "cacis",
            ResponseId = "r-1",
            Kind = FormKind.Diagnostic,
            RespondentPersonId = "marie",
            SubmittedAt = new DateTimeOffset(2026, 3, 14, 11, 23, 34, 250, TimeSpan.FromHours(-4)),
            Answers = Answers(("q01", ["A) Tout à fait"]), ("priorités", ["Logement", "Sécurité alimentaire", "Transport"]), ("commentaire", ["Très « utile »\nMerci"])),
            DiagnosticItems = new Dictionary<int, DiagnosticAnswer> { [18] = DiagnosticAnswer.C, [1] = DiagnosticAnswer.A, [9] = DiagnosticAnswer.B },
        };
        var anonymous = new FormSubmission
        {
            PartnershipId = P,
            FormId = "retro",
            ResponseId = "r-2",
            Kind = FormKind.Feedback,
            RespondentEmail = "inconnu@example.org",
            SubmittedAt = new DateTimeOffset(2026, 3, 15, 9, 0, 0, TimeSpan.Zero),
            Answers = Answers(),
        };
        await Stores.Forms.UpsertFormSubmissionsAsync(P, [anonymous, diagnostic]);

        var stored = await Stores.Forms.ListFormSubmissionsAsync(P);

        Assert.Equal(2, stored.Count);
        AssertSameSubmission(diagnostic, stored[0]);
        AssertSameSubmission(anonymous, stored[1]);
    }

    [Fact]
    public async Task ListFormSubmissionsAsync_OffsetsDiffer_OrdersBySubmissionInstant()
    {
        await SeedRosterAsync();
        await Stores.Forms.UpsertFormSubmissionsAsync(P,
        [
            NewSubmission("a") with { SubmittedAt = new DateTimeOffset(2026, 3, 14, 20, 0, 0, TimeSpan.FromHours(-4)) },
            NewSubmission("b") with { SubmittedAt = new DateTimeOffset(2026, 3, 14, 22, 0, 0, TimeSpan.Zero) },
            NewSubmission("c") with { SubmittedAt = new DateTimeOffset(2026, 3, 15, 0, 30, 0, TimeSpan.FromHours(1)) },
        ]);

        Assert.Equal(["b", "c", "a"], (await Stores.Forms.ListFormSubmissionsAsync(P)).Select(s => s.ResponseId));
    }
}
