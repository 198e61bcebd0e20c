// People and assignment groups of the seeded tenant. Their ids depend on the e-mail / group name only, so
// the demo personas keep their ids across seeds.
// They exist in Entra (users who can sign in; only
// the demo personas hold app roles) and in ServiceNow (sys_user, sys_user_group) with the same e-mail.
import { type Rng, stableHex, stableUuid } from "../common/rng";
import type { AssignmentGroup, Person } from "./types";

export const DEMO_PERSONAS = [
  {
    userName: "ada.admin",
    firstName: "Ada",
    lastName: "Admin",
    appRole: "Admin",
    title: "Security Platform Administrator",
    groups: ["Cloud Security Operations"],
  },
  {
    userName: "ari.analyst",
    firstName: "Ari",
    lastName: "Analyst",
    appRole: "Analyst",
    title: "Security Analyst",
    groups: ["Cloud Security Operations"],
  },
  {
    userName: "mona.manager",
    firstName: "Mona",
    lastName: "Manager",
    appRole: "Manager",
    title: "Head of Cloud Security",
    groups: ["Cloud Security Operations"],
  },
  { userName: "nora.norole", firstName: "Nora", lastName: "Norole", appRole: null, title: "Service Desk Agent", groups: ["Service Desk"] },
] as const;

export const GROUPS: Array<{ name: string; description: string; titles: string[] }> = [
  {
    name: "Cloud Security Operations",
    description: "Triage of Defender for Cloud recommendations and security incidents.",
    titles: ["Security Analyst", "Security Engineer"],
  },
  {
    name: "Platform Engineering",
    description: "Landing zones, shared infrastructure and infrastructure as code.",
    titles: ["Platform Engineer", "Cloud Architect"],
  },
  { name: "Database Administration", description: "Azure SQL, PostgreSQL and Cosmos DB operations.", titles: ["Database Administrator"] },
  { name: "Network Operations", description: "Virtual networks, firewalls, gateways and DNS.", titles: ["Network Engineer"] },
  {
    name: "Identity and Access Management",
    description: "Microsoft Entra ID, privileged access and role assignments.",
    titles: ["Identity Engineer"],
  },
  {
    name: "Application Support",
    description: "App Service and Functions workloads of the business applications.",
    titles: ["Application Engineer", "DevOps Engineer"],
  },
  {
    name: "Container Platform",
    description: "AKS clusters, container registries and the deployment pipeline.",
    titles: ["Site Reliability Engineer"],
  },
  {
    name: "Windows Server Team",
    description: "Windows virtual machines: patching, hardening and backup.",
    titles: ["Systems Administrator"],
  },
  { name: "Linux Server Team", description: "Linux virtual machines: patching, hardening and backup.", titles: ["Linux Administrator"] },
  { name: "Service Desk", description: "First-line support.", titles: ["Service Desk Agent"] },
];

const FIRST_NAMES = [
  "Aisha",
  "Alejandro",
  "Amara",
  "Anders",
  "Ananya",
  "Beatriz",
  "Bjorn",
  "Carmen",
  "Chen",
  "Chloe",
  "Daniel",
  "Dmitri",
  "Elena",
  "Emeka",
  "Farah",
  "Felix",
  "Grace",
  "Hannah",
  "Hiroshi",
  "Ines",
  "Isaac",
  "Jamal",
  "Jana",
  "Julia",
  "Kai",
  "Kenji",
  "Lars",
  "Leila",
  "Liam",
  "Lucia",
  "Malik",
  "Maria",
  "Mateo",
  "Mei",
  "Mohammed",
  "Nadia",
  "Niamh",
  "Noah",
  "Olga",
  "Omar",
  "Oscar",
  "Priya",
  "Rafael",
  "Rania",
  "Ravi",
  "Rosa",
  "Samir",
  "Sara",
  "Sofia",
  "Tariq",
  "Thomas",
  "Tomas",
  "Valentina",
  "Wei",
  "Yara",
  "Yusuf",
  "Zainab",
  "Zoe",
];
const LAST_NAMES = [
  "Adeyemi",
  "Andersson",
  "Bauer",
  "Becker",
  "Chen",
  "Costa",
  "Dubois",
  "Eriksson",
  "Fernandes",
  "Fischer",
  "Garcia",
  "Haddad",
  "Hansen",
  "Ibrahim",
  "Ivanova",
  "Jensen",
  "Kapoor",
  "Kim",
  "Kowalski",
  "Larsen",
  "Lopez",
  "Martin",
  "Meyer",
  "Moreau",
  "Nakamura",
  "Nguyen",
  "Novak",
  "Okafor",
  "Olsen",
  "Patel",
  "Petrov",
  "Popescu",
  "Rossi",
  "Santos",
  "Schmidt",
  "Silva",
  "Singh",
  "Sorensen",
  "Tanaka",
  "Torres",
  "Varga",
  "Wagner",
  "Walsh",
  "Weber",
  "Yilmaz",
  "Zhang",
];

function person(domain: string, p: Omit<Person, "oid" | "email" | "displayName" | "snSysId">): Person {
  const email = `${p.userName}@${domain}`;
  return {
    ...p,
    oid: stableUuid("person", email),
    email,
    displayName: `${p.firstName} ${p.lastName}`,
    snSysId: stableHex(32, "sys_user", email),
  };
}

/** Demo personas first, then `count` generated people spread over the groups. */
export function buildPeople(domain: string, count: number, rng: Rng): Person[] {
  const people: Person[] = DEMO_PERSONAS.map((p) => person(domain, { ...p, groups: [...p.groups] }));
  const taken = new Set(people.map((p) => p.userName));
  for (let i = 0; people.length < DEMO_PERSONAS.length + count; i++) {
    const firstName = rng.pick(FIRST_NAMES);
    const lastName = rng.pick(LAST_NAMES);
    let userName = `${firstName}.${lastName}`.toLowerCase();
    for (let n = 2; taken.has(userName); n++) userName = `${firstName}.${lastName}${n}`.toLowerCase();
    taken.add(userName);
    // Round-robin over groups so every group has members, then a second group for some people.
    const primary = GROUPS[i % GROUPS.length]!;
    const groups = [primary.name];
    if (rng.chance(0.25)) {
      const other = rng.pick(GROUPS).name;
      if (other !== primary.name) groups.push(other);
    }
    people.push(person(domain, { userName, firstName, lastName, appRole: null, title: rng.pick(primary.titles), groups }));
  }
  return people;
}

export function buildGroups(people: Person[]): AssignmentGroup[] {
  return GROUPS.map((g) => {
    const members = people.filter((p) => p.groups.includes(g.name));
    // Mona manages the security team; other groups are managed by their first generated member.
    const manager =
      g.name === "Cloud Security Operations" ? people.find((p) => p.userName === "mona.manager") : members.find((p) => p.appRole === null);
    return {
      snSysId: stableHex(32, "sys_user_group", g.name),
      name: g.name,
      description: g.description,
      managerEmail: (manager ?? members[0] ?? people[0]!).email,
    };
  });
}
