// EngagementFunctions on Azure Functions Flex Consumption, as a custom handler, without keys:
// every service-to-service call uses one user-assigned managed identity, the storage account refuses shared keys,
// Application Insights refuses local authentication, and secrets live in Key Vault (RBAC) behind Key Vault references.
//
//   az deployment group create -g <resource group> -f infra/bicep/main.bicep -p infra/bicep/main.parameters.json
//   (or `azd up`, which reads azure.yaml and main.parameters.json)
//
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

@description('Address of the app as coordinators reach it, for the acknowledge links in e-mails (Alerts:PublicBaseUrl); empty = https://<app name>.azurewebsites.net. Set it when a custom domain fronts the app.')
param publicBaseUrl string = ''

@description('Months after which names and e-mails of inactive people are erased (Privacy:RetentionMonths; Law 25).')
@minValue(1)
param retentionMonths int = 24

@description('API keys: name (letters, digits, hyphens: it names a Key Vault secret), roles (ingest, coordinator, analyst, admin, pii) and optionally partnerships. Each key\'s hash (`dotnet Engagement.Functions.dll new-key`) is the Key Vault secret "api-key-<name>".')
param apiKeys array = [
  {
    name: 'admin'
    roles: ['admin']
    partnerships: []
  }
]

var suffix = toLower(uniqueString(subscription().id, resourceGroup().id, environmentName))
var names = {
  identity: 'id-engagement-${environmentName}'
  storage: take(toLower('steng${replace(environmentName, '-', '')}${suffix}'), 24)
  deploymentContainer: 'app-package-${take(suffix, 12)}'
  logs: 'log-engagement-${environmentName}'
  insights: 'appi-engagement-${environmentName}'
  vault: 'kv-eng-${take(suffix, 13)}'
  plan: 'plan-engagement-${environmentName}'
  app: 'func-engagement-${environmentName}-${take(suffix, 6)}'
}

var roles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'
  keyVaultSecretsOfficer: 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'
}

// ---- identity ----

// Known before deployment (the module's resourceId output is not), so it can serve as a property name below.
var identityId = resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', names.identity)

module identity 'br/public:avm/res/managed-identity/user-assigned-identity:0.4.1' = {
  name: 'identity'
  params: {
    name: names.identity
    location: location
  }
}

// ---- storage: host (deployment package, timer locks) and the app's tables, no shared keys ----

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
    publicNetworkAccess: 'Enabled'
  }
}

// ---- role assignments: the identity reads and writes only what it needs ----

resource blobOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, names.identity, roles.storageBlobDataOwner)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataOwner)
    principalId: identity.outputs.principalId
    principalType: 'ServicePrincipal'
  }
}

resource tableContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, names.identity, roles.storageTableDataContributor)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageTableDataContributor)
    principalId: identity.outputs.principalId
    principalType: 'ServicePrincipal'
  }
}

resource metricsPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(insights.id, names.identity, roles.monitoringMetricsPublisher)
  scope: insights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.monitoringMetricsPublisher)
    principalId: identity.outputs.principalId
    principalType: 'ServicePrincipal'
  }
}

resource secretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, names.identity, roles.keyVaultSecretsUser)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsUser)
    principalId: identity.outputs.principalId
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
// docs/deploy-azure.md ("Settings left at their defaults"). A test checks both lists against the code. ----

var secret = {
  personKey: '@Microsoft.KeyVault(VaultName=${vault.name};SecretName=person-key-secret)'
  alertLinks: '@Microsoft.KeyVault(VaultName=${vault.name};SecretName=alert-link-key)'
  graphClient: '@Microsoft.KeyVault(VaultName=${vault.name};SecretName=graph-client-secret)'
}

// app settings: begin
var hostSettings = [
  { name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }
  { name: 'AzureWebJobsStorage__clientId', value: identity.outputs.clientId }
  { name: 'AzureWebJobsStorage__blobServiceUri', value: storage.properties.primaryEndpoints.blob }
  { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: insights.properties.ConnectionString }
  { name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', value: 'ClientId=${identity.outputs.clientId};Authorization=AAD' }
  { name: 'ASPNETCORE_ENVIRONMENT', value: 'Production' }
]

var appSettings = [
  { name: 'Storage__Provider', value: 'Tables' }
  { name: 'Storage__Tables__Endpoint', value: storage.properties.primaryEndpoints.table }
  { name: 'Storage__Tables__ManagedIdentityClientId', value: identity.outputs.clientId }
  { name: 'Storage__Tables__TablePrefix', value: tablePrefix }
  { name: 'Auth__GenerateDevelopmentKey', value: 'false' }
  { name: 'Privacy__RetentionMonths', value: string(retentionMonths) }
  { name: 'Scheduler__Enabled', value: 'false' }
  { name: 'Demo__Enabled', value: 'false' }
  { name: 'Graph__TenantId', value: graphTenantId }
  { name: 'Graph__ClientId', value: graphAuthentication == 'clientSecret' ? graphClientId : identity.outputs.clientId }
  { name: 'Graph__ClientSecret', value: graphAuthentication == 'clientSecret' ? secret.graphClient : '' }
  { name: 'Graph__ManagedIdentityClientId', value: graphAuthentication == 'managedIdentity' ? identity.outputs.clientId : '' }
  { name: 'Alerts__Provider', value: 'Graph' }
  { name: 'Alerts__From', value: alertsFrom }
  { name: 'Alerts__GraphMailbox', value: alertsMailbox }
  { name: 'Alerts__PublicBaseUrl', value: empty(publicBaseUrl) ? 'https://${names.app}.azurewebsites.net' : publicBaseUrl }
  { name: 'Alerts__SigningKey', value: secret.alertLinks }
  { name: 'Exports__PersonKeySecret', value: secret.personKey }
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
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identityId
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainer.name}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
      }
      // Microsoft's ASP.NET Core custom-handler sample on Flex runs on the .NET stack so that `dotnet` is on the PATH
      // for host.json's "defaultExecutablePath": "dotnet"; the host still dispatches to the custom handler because
      // host.json has a customHandler section. See docs/deploy-azure.md ("Why dotnet-isolated").
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      appSettings: concat(hostSettings, appSettings, apiKeySettings)
    }
  }
  dependsOn: [
    identity
    blobOwner
    tableContributor
    metricsPublisher
    secretsUser
  ]
}

output functionAppName string = app.name
output functionAppUrl string = 'https://${app.properties.defaultHostName}'
output dashboardUrl string = 'https://${app.properties.defaultHostName}/api/dashboard'
output odataUrl string = 'https://${app.properties.defaultHostName}/api/odata'
output keyVaultName string = vault.name
output storageAccountName string = storage.name
output identityClientId string = identity.outputs.clientId
output identityPrincipalId string = identity.outputs.principalId
output applicationInsightsName string = insights.name
