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
