// EngagementFunctions on Azure Functions Flex Consumption (FC1, Linux) as a standard .NET isolated-worker app
// (`dotnet-isolated` 10.0), without keys: every service-to-service call uses one user-assigned managed identity, the
// storage account refuses shared keys, Application Insights refuses local authentication, basic (FTP and SCM)
// publishing credentials are off, and secrets live in Key Vault (RBAC) behind Key Vault references.
//
//   az deployment group create -g <resource group> -f infra/bicep/main.bicep -p infra/bicep/az.parameters.json
//   (or `azd up`, which reads azure.yaml and main.parameters.json)
//
// Only native resource declarations: no registry module, so the file compiles offline. eng/bicep-build.sh compiles it
// with the Bicep compiler from NuGet and fails on any error or warning (run by .ci/run).
// Resource types and API versions are the ones listed in docs/deploy-azure.md ("Resource types"); a test keeps them so.
targetScope = 'resourceGroup'

@description('Short name of this installation (letters, digits, hyphens), used in every resource name, e.g. "hochelaga" or "prod".')
@minLength(2)
@maxLength(20)
param environmentName string

@description('Azure region; defaults to the resource group\'s.')
param location string = resourceGroup().location

@description('Object id of the administrator (user or group) allowed to write the Key Vault secrets; empty = nobody (grant it later).')
param administratorPrincipalId string = ''

@allowed(['User', 'Group', 'ServicePrincipal'])
param administratorPrincipalType string = 'User'

@description('Instance memory of the Flex Consumption plan, in MB.')
@allowed([512, 2048, 4096])
param instanceMemoryMB int = 2048

@description('Most instances the app may scale out to (Flex allows 40 to 1000).')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Prefix of the app\'s tables in the storage account (Storage:Tables:TablePrefix).')
param tablePrefix string = 'engagement'

@description('Microsoft Entra tenant of the Graph calls (Teams attendance, Forms workbooks, group membership, sendMail).')
param graphTenantId string = tenant().tenantId

@description('"managedIdentity": Graph is called as the app\'s managed identity (grant it the Graph app roles, see docs/deploy-azure.md). "clientSecret": as the app registration graphClientId with the Key Vault secret graph-client-secret.')
@allowed(['managedIdentity', 'clientSecret'])
param graphAuthentication string = 'managedIdentity'

@description('Application (client) id of the app registration, when graphAuthentication is "clientSecret".')
param graphClientId string = ''

@description('Sender address of the alert e-mails (Alerts:From).')
param alertsFrom string

@description('Mailbox the alert e-mails are sent from through Graph sendMail (Alerts:GraphMailbox).')
param alertsMailbox string = alertsFrom

@description('Address of the app as coordinators reach it, for the acknowledge links in e-mails (Alerts:PublicBaseUrl); empty = https://<the site\'s defaultHostName> (on Flex Consumption not always <app name>.azurewebsites.net). Set it when a custom domain fronts the app.')
param publicBaseUrl string = ''

@description('Months after which names and e-mails of inactive people are erased (Privacy:RetentionMonths; Law 25).')
@minValue(1)
param retentionMonths int = 24

@description('Days a published dataset snapshot (Parquet + CSV in the datasets container) is kept before PurgeExpiredData deletes it (Datasets:RetentionDays).')
@minValue(1)
@maxValue(3650)
param datasetRetentionDays int = 30

@description('API keys: name (letters, digits, hyphens: it names a Key Vault secret), roles (ingest, coordinator, analyst, admin, pii) and optionally partnerships. Each key\'s hash (`dotnet Engagement.Functions.dll new-key`) is the Key Vault secret "api-key-<name>".')
param apiKeys array = [
  {
    name: 'admin'
    roles: ['admin']
    partnerships: []
  }
]

@description('Key Vault purge protection. On (the default), a deleted vault and its secrets can be recovered for 30 days and nobody can purge them sooner; this cannot be turned off again. Set false only for a throw-away installation that must be purged at once (`azd down --purge`). See docs/deploy-azure.md ("Key Vault purge protection").')
param keyVaultPurgeProtection bool = true

@description('Timer schedules to change, by timer name (NCRONTAB with seconds, UTC): each becomes the app setting Schedules__<Name>; a timer not named here keeps the default of src/Functions/Hosting/TimerSchedules.cs. An app setting changed by hand takes effect without a new build, until the next deployment of this template.')
param schedules timerSchedules = {}

@sealed()
@description('The nine timers of the app; any other name is refused.')
type timerSchedules = {
  @description('Default: 0 5 * * * * (hourly).')
  SyncTeamsAttendance: string?
  @description('Default: 0 */15 * * * *.')
  SyncFormsWorkbook: string?
  @description('Default: 0 15 2 * * * (daily).')
  SyncGroupMembership: string?
  @description('Default: 0 0 4 * * * (daily).')
  ScoreRisk: string?
  @description('Default: 0 */15 * * * *.')
  SendAlerts: string?
  @description('Default: 0 0 11 * * 1 (Mondays).')
  SendDigest: string?
  @description('Default: 0 0 13 * * * (daily; each partnership is asked on the rounds of its own follow-up schedule).')
  SendFollowUpSheets: string?
  @description('Default: 0 0 5 * * 1 (Mondays).')
  RetrainModel: string?
  @description('Default: 0 30 5 * * * (daily, after ScoreRisk).')
  PublishDatasets: string?
  @description('Default: 0 30 3 * * * (daily).')
  PurgeExpiredData: string?
}

// uniqueString: 13 lower-case letters and digits, stable for this subscription, resource group and environment.
var suffix = uniqueString(subscription().id, resourceGroup().id, environmentName)
var names = {
  identity: 'id-engagement-${environmentName}'
  // 3-24 lower-case letters and digits, globally unique: the prefix is cut (to 11 characters), never the suffix, so
  // long environment names that share a beginning still get distinct accounts.
  storage: '${take(toLower('steng${replace(environmentName, '-', '')}'), 24 - length(suffix))}${suffix}'
  deploymentContainer: 'app-package-${take(suffix, 12)}'
  datasetsContainer: 'datasets'
  modelsContainer: 'models'
  logs: 'log-engagement-${environmentName}'
  insights: 'appi-engagement-${environmentName}'
  vault: 'kv-eng-${take(suffix, 13)}'
  plan: 'plan-engagement-${environmentName}'
  app: 'func-engagement-${environmentName}-${take(suffix, 6)}'
}

var roles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageBlobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'
  keyVaultSecretsOfficer: 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'
}

// ---- identity ----

// A native resource (not the registry module of Microsoft's quickstarts, which cannot be fetched offline). 2024-11-30
// is the newest stable (non-preview) API version of the type in the ARM template reference's change log.
resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: names.identity
  location: location
}

// ---- storage: host (deployment package, timer locks), the app's tables and its datasets container, no shared keys ----

resource storage 'Microsoft.Storage/storageAccounts@2024-01-01' = {
  name: names.storage
  location: location
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    accessTier: 'Hot'
    allowSharedKeyAccess: false
    allowBlobPublicAccess: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
  }
}

resource blobServices 'Microsoft.Storage/storageAccounts/blobServices@2024-01-01' = {
  parent: storage
  name: 'default'
}

resource deploymentContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2024-01-01' = {
  parent: blobServices
  name: names.deploymentContainer
  properties: {
    publicAccess: 'None'
  }
}

// The nightly star-schema snapshots (PublishDatasets): Parquet + CSV and a manifest per day, read by Power BI and
// Fabric (docs/powerbi.md). Private: readers are granted Storage Blob Data Reader on this container.
resource datasetsContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2024-01-01' = {
  parent: blobServices
  name: names.datasetsContainer
  properties: {
    publicAccess: 'None'
  }
}

// The trained risk models (artifact + metadata per version, the champion pointer, retraining decisions), behind the
// model port (Storage:Models). Private.
resource modelsContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2024-01-01' = {
  parent: blobServices
  name: names.modelsContainer
  properties: {
    publicAccess: 'None'
  }
}

// ---- monitoring ----

resource logs 'Microsoft.OperationalInsights/workspaces@2025-02-01' = {
  name: names.logs
  location: location
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: 30
  }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: names.insights
  location: location
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logs.id
    DisableLocalAuth: true
  }
}

// ---- secrets ----

resource vault 'Microsoft.KeyVault/vaults@2024-11-01' = {
  name: names.vault
  location: location
  properties: {
    tenantId: tenant().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 30
    // Purge protection (default on): person-key-secret exists nowhere else, and losing it changes every pseudonymous
    // person key for good (Power BI extracts and OData links no longer match); soft delete alone still lets anyone with
    // purge rights destroy it. The cost: the vault's name stays taken for 30 days after a delete, and the setting can
    // never be turned off. Off is omitted (null), not false: a vault already protected stays so without an error.
    enablePurgeProtection: keyVaultPurgeProtection ? true : null
    // Flex Consumption resolves Key Vault references over the public endpoint (it cannot reach a network-restricted vault).
    publicNetworkAccess: 'Enabled'
  }
}

// ---- role assignments: the identity reads and writes only what it needs ----

resource blobOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, names.identity, roles.storageBlobDataOwner)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataOwner)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// The app's own data-plane role on the datasets: read, write and delete blobs in that one container (not the account).
resource datasetsContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(datasetsContainer.id, names.identity, roles.storageBlobDataContributor)
  scope: datasetsContainer
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataContributor)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// The same on the models container.
resource modelsContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(modelsContainer.id, names.identity, roles.storageBlobDataContributor)
  scope: modelsContainer
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataContributor)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource tableContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, names.identity, roles.storageTableDataContributor)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageTableDataContributor)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// The scoring queue (partnership-scoring) on the host's storage: the app sends, the host's queue trigger receives,
// deletes and moves failed messages to partnership-scoring-poison.
resource queueContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, names.identity, roles.storageQueueDataContributor)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageQueueDataContributor)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource metricsPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(insights.id, names.identity, roles.monitoringMetricsPublisher)
  scope: insights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.monitoringMetricsPublisher)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource secretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, names.identity, roles.keyVaultSecretsUser)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsUser)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource secretsOfficer 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(administratorPrincipalId)) {
  name: guid(vault.id, administratorPrincipalId, roles.keyVaultSecretsOfficer)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsOfficer)
    principalId: administratorPrincipalId
    principalType: administratorPrincipalType
  }
}

// ---- app settings: every setting the code reads that differs from its default here; the others are listed in
// docs/deploy-azure.md ("Settings left at their defaults"). A test checks both lists against the code. They are applied
// by the appSettingsConfig resource below, not by the site itself, because Alerts__PublicBaseUrl needs the site's
// defaultHostName. ----

var secret = {
  personKey: '@Microsoft.KeyVault(VaultName=${vault.name};SecretName=person-key-secret)'
  alertLinks: '@Microsoft.KeyVault(VaultName=${vault.name};SecretName=alert-link-key)'
  participantLinks: '@Microsoft.KeyVault(VaultName=${vault.name};SecretName=participant-link-key)'
  graphClient: '@Microsoft.KeyVault(VaultName=${vault.name};SecretName=graph-client-secret)'
}

// app settings: begin
var hostSettings = [
  { name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }
  { name: 'AzureWebJobsStorage__clientId', value: identity.properties.clientId }
  { name: 'AzureWebJobsStorage__blobServiceUri', value: storage.properties.primaryEndpoints.blob }
  { name: 'AzureWebJobsStorage__queueServiceUri', value: storage.properties.primaryEndpoints.queue }
  { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: insights.properties.ConnectionString }
  { name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', value: 'ClientId=${identity.properties.clientId};Authorization=AAD' }
  { name: 'ASPNETCORE_ENVIRONMENT', value: 'Production' }
]

var appSettings = [
  { name: 'Storage__Provider', value: 'Tables' }
  { name: 'Storage__Tables__Endpoint', value: storage.properties.primaryEndpoints.table }
  { name: 'Storage__Tables__ManagedIdentityClientId', value: identity.properties.clientId }
  { name: 'Storage__Tables__TablePrefix', value: tablePrefix }
  { name: 'Storage__Models__BlobEndpoint', value: storage.properties.primaryEndpoints.blob }
  { name: 'Storage__Models__ManagedIdentityClientId', value: identity.properties.clientId }
  { name: 'Storage__Models__Container', value: modelsContainer.name }
  { name: 'Auth__GenerateDevelopmentKey', value: 'false' }
  { name: 'Privacy__RetentionMonths', value: string(retentionMonths) }
  { name: 'Scheduler__Enabled', value: 'false' }
  { name: 'Demo__Enabled', value: 'false' }
  { name: 'Graph__TenantId', value: graphTenantId }
  { name: 'Graph__ClientId', value: graphAuthentication == 'clientSecret' ? graphClientId : identity.properties.clientId }
  { name: 'Graph__ClientSecret', value: graphAuthentication == 'clientSecret' ? secret.graphClient : '' }
  { name: 'Graph__ManagedIdentityClientId', value: graphAuthentication == 'managedIdentity' ? identity.properties.clientId : '' }
  { name: 'Alerts__Provider', value: 'Graph' }
  { name: 'Alerts__From', value: alertsFrom }
  { name: 'Alerts__GraphMailbox', value: alertsMailbox }
  { name: 'Alerts__PublicBaseUrl', value: empty(publicBaseUrl) ? 'https://${app.properties.defaultHostName}' : publicBaseUrl }
  { name: 'Alerts__SigningKey', value: secret.alertLinks }
  { name: 'Exports__PersonKeySecret', value: secret.personKey }
  { name: 'Participants__SigningKey', value: secret.participantLinks }
  { name: 'Participants__PublicBaseUrl', value: empty(publicBaseUrl) ? 'https://${app.properties.defaultHostName}' : publicBaseUrl }
  { name: 'Datasets__BlobEndpoint', value: storage.properties.primaryEndpoints.blob }
  { name: 'Datasets__ManagedIdentityClientId', value: identity.properties.clientId }
  { name: 'Datasets__Container', value: datasetsContainer.name }
  { name: 'Datasets__RetentionDays', value: string(datasetRetentionDays) }
]

// The timers' schedules: each [TimerTrigger("%Schedules:<Name>%")] reads the app setting Schedules__<Name>, so every
// timer must have one. The defaults are those of src/Functions/Hosting/TimerSchedules.cs (a test compares them).
var scheduleSettings = [
  { name: 'Schedules__SyncTeamsAttendance', value: schedules.?SyncTeamsAttendance ?? '0 5 * * * *' }
  { name: 'Schedules__SyncFormsWorkbook', value: schedules.?SyncFormsWorkbook ?? '0 */15 * * * *' }
  { name: 'Schedules__SyncGroupMembership', value: schedules.?SyncGroupMembership ?? '0 15 2 * * *' }
  { name: 'Schedules__ScoreRisk', value: schedules.?ScoreRisk ?? '0 0 4 * * *' }
  { name: 'Schedules__SendAlerts', value: schedules.?SendAlerts ?? '0 */15 * * * *' }
  { name: 'Schedules__SendDigest', value: schedules.?SendDigest ?? '0 0 11 * * 1' }
  { name: 'Schedules__SendFollowUpSheets', value: schedules.?SendFollowUpSheets ?? '0 0 13 * * *' }
  { name: 'Schedules__RetrainModel', value: schedules.?RetrainModel ?? '0 0 5 * * 1' }
  { name: 'Schedules__PublishDatasets', value: schedules.?PublishDatasets ?? '0 30 5 * * *' }
  { name: 'Schedules__PurgeExpiredData', value: schedules.?PurgeExpiredData ?? '0 30 3 * * *' }
]

// One key per entry of apiKeys: Auth__ApiKeys__<i>__Name, __Hash (Key Vault), __Roles__<j>, __Partnerships__<j>.
var apiKeySettings = flatten(map(range(0, length(apiKeys)), i => concat(
  [
    { name: 'Auth__ApiKeys__${i}__Name', value: apiKeys[i].name }
    { name: 'Auth__ApiKeys__${i}__Hash', value: '@Microsoft.KeyVault(VaultName=${vault.name};SecretName=api-key-${apiKeys[i].name})' }
  ],
  map(range(0, length(apiKeys[i].roles)), j => { name: 'Auth__ApiKeys__${i}__Roles__${j}', value: apiKeys[i].roles[j] }),
  map(range(0, length(apiKeys[i].?partnerships ?? [])), j => { name: 'Auth__ApiKeys__${i}__Partnerships__${j}', value: apiKeys[i].partnerships[j] })
)))
// app settings: end

// ---- Flex Consumption plan and the function app ----

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: names.plan
  location: location
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    reserved: true
  }
}

resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: names.app
  location: location
  kind: 'functionapp,linux'
  tags: {
    'azd-service-name': 'api'
  }
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identity.id
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainer.name}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identity.id
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
      }
      // The standard .NET isolated worker: the host starts the published app (worker.config.json) and pre-warms
      // instances for this stack. Flex reads the runtime from here, not from an app setting.
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      // No appSettings here: appSettingsConfig below sets them all (a site cannot read its own defaultHostName).
    }
  }
  // The identity holds its roles before the app starts (host storage, deployment container, Key Vault references).
  dependsOn: [
    blobOwner
    datasetsContributor
    modelsContributor
    tableContributor
    queueContributor
    metricsPublisher
    secretsUser
  ]
}

// The app settings, as a child resource of the site: Alerts__PublicBaseUrl is built from the site's defaultHostName,
// which exists only once the site does (Flex Consumption may give an app a unique default host name rather than
// <app>.azurewebsites.net), and a resource cannot reference its own properties. This resource replaces the whole
// set of app settings at each deployment, so the site declares none itself; settings added by hand in the portal
// are removed by the next deployment (put them in this template).
resource appSettingsConfig 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: app
  name: 'appsettings'
  properties: toObject(concat(hostSettings, appSettings, scheduleSettings, apiKeySettings), setting => setting.name, setting => setting.value)
}

// No basic-authentication publishing: neither FTP nor the SCM (Kudu) site accepts the publishing user name and
// password. Deployments go through Azure Resource Manager with Entra ID (az functionapp deployment, azd).
resource ftpPublishing 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: app
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource scmPublishing 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: app
  name: 'scm'
  properties: {
    allow: false
  }
}

output functionAppName string = app.name
output functionAppUrl string = 'https://${app.properties.defaultHostName}'
output dashboardUrl string = 'https://${app.properties.defaultHostName}/api/dashboard'
output odataUrl string = 'https://${app.properties.defaultHostName}/api/odata'
output keyVaultName string = vault.name
output storageAccountName string = storage.name
output datasetsUrl string = '${storage.properties.primaryEndpoints.blob}${datasetsContainer.name}'
output identityClientId string = identity.properties.clientId
output identityPrincipalId string = identity.properties.principalId
output applicationInsightsName string = insights.name
