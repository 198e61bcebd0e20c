// Azure resource types the seeded world contains, with how their names look and how common they are.

export const RT = {
  vm: "Microsoft.Compute/virtualMachines",
  vmss: "Microsoft.Compute/virtualMachineScaleSets",
  storage: "Microsoft.Storage/storageAccounts",
  sqlServer: "Microsoft.Sql/servers",
  sqlDb: "Microsoft.Sql/servers/databases",
  keyVault: "Microsoft.KeyVault/vaults",
  aks: "Microsoft.ContainerService/managedClusters",
  web: "Microsoft.Web/sites",
  vnet: "Microsoft.Network/virtualNetworks",
  nsg: "Microsoft.Network/networkSecurityGroups",
  appGateway: "Microsoft.Network/applicationGateways",
  cosmos: "Microsoft.DocumentDB/databaseAccounts",
  acr: "Microsoft.ContainerRegistry/registries",
  postgres: "Microsoft.DBforPostgreSQL/flexibleServers",
  redis: "Microsoft.Cache/Redis",
  eventHub: "Microsoft.EventHub/namespaces",
  serviceBus: "Microsoft.ServiceBus/namespaces",
  cognitive: "Microsoft.CognitiveServices/accounts",
  /** Subscription-scoped assessments (identity, policy) have the subscription itself as resource. */
  subscription: "Microsoft.Resources/subscriptions",
} as const;

export type ResourceTypeName = (typeof RT)[keyof typeof RT];

/** Relative frequency of each resource type among generated resources (subscriptions are added apart). */
export const RESOURCE_TYPE_WEIGHTS: Array<readonly [ResourceTypeName, number]> = [
  [RT.vm, 22],
  [RT.vmss, 3],
  [RT.storage, 14],
  [RT.sqlServer, 4],
  [RT.sqlDb, 7],
  [RT.keyVault, 6],
  [RT.aks, 3],
  [RT.web, 10],
  [RT.vnet, 4],
  [RT.nsg, 6],
  [RT.appGateway, 2],
  [RT.cosmos, 3],
  [RT.acr, 3],
  [RT.postgres, 3],
  [RT.redis, 2],
  [RT.eventHub, 2],
  [RT.serviceBus, 2],
  [RT.cognitive, 2],
];

/** Name patterns per type ({app}, {env}, {n}); storage and registries allow only lowercase letters and digits. */
export const NAME_PATTERNS: Record<ResourceTypeName, string> = {
  [RT.vm]: "vm-{app}-{env}-{n}",
  [RT.vmss]: "vmss-{app}-{env}-{n}",
  [RT.storage]: "st{app}{env}{n}",
  [RT.sqlServer]: "sql-{app}-{env}-{n}",
  [RT.sqlDb]: "sqldb-{app}-{n}",
  [RT.keyVault]: "kv-{app}-{env}-{n}",
  [RT.aks]: "aks-{app}-{env}-{n}",
  [RT.web]: "app-{app}-{env}-{n}",
  [RT.vnet]: "vnet-{app}-{env}-{n}",
  [RT.nsg]: "nsg-{app}-{env}-{n}",
  [RT.appGateway]: "agw-{app}-{env}-{n}",
  [RT.cosmos]: "cosmos-{app}-{env}-{n}",
  [RT.acr]: "cr{app}{env}{n}",
  [RT.postgres]: "psql-{app}-{env}-{n}",
  [RT.redis]: "redis-{app}-{env}-{n}",
  [RT.eventHub]: "evhns-{app}-{env}-{n}",
  [RT.serviceBus]: "sb-{app}-{env}-{n}",
  [RT.cognitive]: "cog-{app}-{env}-{n}",
  [RT.subscription]: "{app}",
};

/** Human family names used to derive recommendation titles ("Storage accounts should …"). */
export const FAMILY_NAMES: Partial<Record<ResourceTypeName, string>> = {
  [RT.vm]: "Virtual machines",
  [RT.vmss]: "Virtual machine scale sets",
  [RT.storage]: "Storage accounts",
  [RT.sqlServer]: "Azure SQL servers",
  [RT.sqlDb]: "Azure SQL databases",
  [RT.keyVault]: "Azure Key Vaults",
  [RT.aks]: "Azure Kubernetes Service clusters",
  [RT.web]: "App Service apps",
  [RT.vnet]: "Virtual networks",
  [RT.nsg]: "Network security groups",
  [RT.appGateway]: "Application gateways",
  [RT.cosmos]: "Azure Cosmos DB accounts",
  [RT.acr]: "Container registries",
  [RT.postgres]: "Azure Database for PostgreSQL flexible servers",
  [RT.redis]: "Azure Cache for Redis instances",
  [RT.eventHub]: "Event Hub namespaces",
  [RT.serviceBus]: "Service Bus namespaces",
  [RT.cognitive]: "Azure AI services resources",
};
