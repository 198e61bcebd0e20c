// Stands in for "server-only" under vitest: the marker package throws outside React Server
// Components, and tests import server modules directly.
export {};
