/** Writes fixtures/urns.json from the program as it is (see urnRecords.ts for when that is right). */
import { writeFileSync } from "node:fs";
import { allRecords } from "./urnRecords.js";

const fixture = new URL("./fixtures/urns.json", import.meta.url);
writeFileSync(fixture, `${JSON.stringify(await allRecords(), null, 2)}\n`);
console.log(`wrote ${fixture.pathname}`);
