using Engagement.Core.Domain;
using Engagement.Core.Storage;

namespace Engagement.Storage.Tests.Contract;

/// <summary>The behaviour every <see cref="IExportAuditStore"/> must have.</summary>
public abstract class ExportAuditStoreContract(IStoreBackend backend) : StoreContract(backend)
{
    [Fact]
    public async Task ExportAudit_RecordedAndListedNewestFirstSinceATime()
    {
        await Stores.ExportAudit.RecordExportAsync(new ExportAudit { At = T0, Caller = "analyst", What = "dim_person.csv", Rows = 12, PersonalData = false });
        await Stores.ExportAudit.RecordExportAsync(new ExportAudit { At = T0.AddHours(1), Caller = "analyst-pii", What = "dim_person.csv", Rows = 12, PersonalData = true, Filter = "from=2026-01-01&to=" });

        var all = await Stores.ExportAudit.ListExportsAsync(T0.AddDays(-1));
        Assert.Equal(["analyst-pii", "analyst"], all.Select(a => a.Caller));
        Assert.Equal("from=2026-01-01&to=", all[0].Filter);
        Assert.Single(await Stores.ExportAudit.ListExportsAsync(T0.AddMinutes(30)));
    }
}
