// Prints every chain of the pinned chain-registry npm package as JSON (build time only; see build_catalogue.py).
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const registry = require("chain-registry/chains.js");
const chains = registry.default ?? registry.chains ?? registry;
const version = require("chain-registry/package.json").version;
process.stdout.write(JSON.stringify({ version, chains }));
