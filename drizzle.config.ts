import { defineConfig } from 'drizzle-kit';

// drizzle-kit reads the schema and writes SQL migrations into migrations/.
// `npm run db:generate` after every schema change; never edit a migration that has landed.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema/*.ts',
  out: './migrations',
});
