using Engagement.Storage.Tests.Contract;

namespace Engagement.Storage.Tests.Tables;

// Every port contract, unchanged, against Azure Table Storage as Azurite serves it; each test has tables of its own.
// The suites share one Azurite (a collection fixture) rather than starting one each.

[CollectionDefinition(Collection)]
public sealed class TableContracts : ICollectionFixture<AzuriteFixture>
{
    public const string Collection = "Table contracts on Azurite";
}

[Collection(TableContracts.Collection)]
public sealed class TableStoreHealthTests(AzuriteFixture azurite) : StoreHealthContract(new TableBackend(azurite));

[Collection(TableContracts.Collection)]
public sealed class TablePartnershipStoreTests(AzuriteFixture azurite) : PartnershipStoreContract(new TableBackend(azurite));

[Collection(TableContracts.Collection)]
public sealed class TableRosterStoreTests(AzuriteFixture azurite) : RosterStoreContract(new TableBackend(azurite));

[Collection(TableContracts.Collection)]
public sealed class TableAttendanceStoreTests(AzuriteFixture azurite) : AttendanceStoreContract(new TableBackend(azurite));

[Collection(TableContracts.Collection)]
public sealed class TableFormStoreTests(AzuriteFixture azurite) : FormStoreContract(new TableBackend(azurite));

[Collection(TableContracts.Collection)]
public sealed class TableRiskStoreTests(AzuriteFixture azurite) : RiskStoreContract(new TableBackend(azurite));

[Collection(TableContracts.Collection)]
public sealed class TableModelStoreTests(AzuriteFixture azurite) : ModelStoreContract(new TableBackend(azurite));

[Collection(TableContracts.Collection)]
public sealed class TableAlertStoreTests(AzuriteFixture azurite) : AlertStoreContract(new TableBackend(azurite));

[Collection(TableContracts.Collection)]
public sealed class TableExportAuditStoreTests(AzuriteFixture azurite) : ExportAuditStoreContract(new TableBackend(azurite));

[Collection(TableContracts.Collection)]
public sealed class TableIntegrationStoreTests(AzuriteFixture azurite) : IntegrationStoreContract(new TableBackend(azurite));

[Collection(TableContracts.Collection)]
public sealed class TablePrivacyStoreTests(AzuriteFixture azurite) : PrivacyStoreContract(new TableBackend(azurite));

[Collection(TableContracts.Collection)]
public sealed class TableSignInStoreTests(AzuriteFixture azurite) : SignInStoreContract(new TableBackend(azurite));

[Collection(TableContracts.Collection)]
public sealed class TableStoreIsolationTests(AzuriteFixture azurite) : StoreIsolationContract(new TableBackend(azurite));

[Collection(TableContracts.Collection)]
public sealed class TableActionPlanStoreTests(AzuriteFixture azurite) : ActionPlanStoreContract(new TableBackend(azurite));
