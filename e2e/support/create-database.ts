// Creates this run's PostgreSQL database for the conformance server (see servers.ts).
import postgres from "postgres";
import { conformanceDatabase } from "./servers.ts";

const { adminUrl, name } = conformanceDatabase();
if (!/^bk_e2e_\w+$/.test(name)) throw new Error(`unexpected database name "${name}"`);
const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
try {
  await admin.unsafe(`create database ${name}`);
} finally {
  await admin.end();
}
