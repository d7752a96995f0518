using Engagement.Storage.Tests.Contract;

namespace Engagement.Storage.Tests.Sqlite;

// Every port contract on SQLite, one fresh file per test.

public sealed class SqliteStoreHealthTests() : StoreHealthContract(new SqliteBackend());

public sealed class SqlitePartnershipStoreTests() : PartnershipStoreContract(new SqliteBackend());

public sealed class SqliteRosterStoreTests() : RosterStoreContract(new SqliteBackend());

public sealed class SqliteAttendanceStoreTests() : AttendanceStoreContract(new SqliteBackend());

public sealed class SqliteFormStoreTests() : FormStoreContract(new SqliteBackend());

public sealed class SqliteRiskStoreTests() : RiskStoreContract(new SqliteBackend());

public sealed class SqliteModelStoreTests() : ModelStoreContract(new SqliteBackend());

public sealed class SqliteAlertStoreTests() : AlertStoreContract(new SqliteBackend());

public sealed class SqliteExportAuditStoreTests() : ExportAuditStoreContract(new SqliteBackend());

public sealed class SqliteIntegrationStoreTests() : IntegrationStoreContract(new SqliteBackend());

public sealed class SqlitePrivacyStoreTests() : PrivacyStoreContract(new SqliteBackend());

public sealed class SqliteSignInStoreTests() : SignInStoreContract(new SqliteBackend());

public sealed class SqliteStoreIsolationTests() : StoreIsolationContract(new SqliteBackend());

public sealed class SqliteActionPlanStoreTests() : ActionPlanStoreContract(new SqliteBackend());
