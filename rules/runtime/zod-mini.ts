import { config } from 'zod/mini';
import { en } from 'zod/locales';

/*
 * The zod that code bundled into the Lambdas uses (`import * as z from '.../zod-mini'`): zod/mini, whose
 * functions esbuild tree-shakes, so a bundle holds only the schema kinds it uses, a tenth of classic zod, and
 * loads several times faster (bench/lambda). The schemas are the same objects underneath, so classic zod (the
 * CLI, infra) parses them, describes them and turns them into JSON Schema alike. zod/mini ships no messages
 * ("Invalid input"); classic registers English on first use, and so does this module, so errors read the same.
 */
if (!config().localeError) config(en());

export * from 'zod/mini';
