/**
 * `ozml serve [--config ozml.config.json] [--switch sim] [--listen HOST:PORT]`: the long-running
 * server (docs/serve.md). SIGTERM/SIGINT drain and exit 0; SIGHUP reloads the config for new
 * calls. `--hash-password` prints an scrypt hash of the password read from stdin, for the config.
 */
import { existsSync } from 'node:fs';
import { Command, Option } from 'commander';
import { CONFIG_FILE_NAME, ConfigError, loadConfig, parseConfig, parseListen } from '../config/index.js';
import type { OzmlConfig } from '../config/index.js';
import { hashPassword } from '../api/auth.js';
import { OzmlServer, ServeError } from '../api/server.js';
import { CliError, EXIT_OK } from './errors.js';

interface ServeCliOptions {
  config?: string;
  switch: 'sim';
  listen?: string;
  hashPassword?: boolean;
}

async function readConfig(file: string | undefined): Promise<OzmlConfig> {
  try {
    if (file !== undefined) return await loadConfig(file);
    if (existsSync(CONFIG_FILE_NAME)) return await loadConfig(CONFIG_FILE_NAME);
    return parseConfig('{}');
  } catch (error) {
    if (error instanceof ConfigError) throw new CliError(error.message);
    throw error;
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('run the phone system: calls on a switch, webhooks, and the Ozeki HTTP API on one listener (SIGTERM drains)')
    .option('-c, --config <file>', `config file (default: ./${CONFIG_FILE_NAME} if present)`)
    .addOption(new Option('--switch <kind>', 'the switch calls come in on').choices(['sim']).default('sim'))
    .option('--listen <host:port>', 'listen address (default: serve.listen, else 127.0.0.1:7780)')
    .option('--hash-password', 'print an scrypt hash of the password on stdin for serve.users, and exit')
    .action(async (options: ServeCliOptions) => {
      if (options.hashPassword) {
        const password = await readStdin();
        if (password === '') throw new CliError('no password on stdin');
        process.stdout.write(`${await hashPassword(password)}\n`);
        process.exitCode = EXIT_OK;
        return;
      }
      let listen: { host: string; port: number } | undefined;
      if (options.listen !== undefined) {
        const parsed = parseListen(options.listen);
        if ('error' in parsed) throw new CliError(`--listen: ${parsed.error}`);
        listen = parsed;
      }
      const configPath = options.config ?? (existsSync(CONFIG_FILE_NAME) ? CONFIG_FILE_NAME : undefined);
      const config = await readConfig(configPath);
      let server: OzmlServer;
      try {
        server = await OzmlServer.start({ config, switch: options.switch, ...(listen ? { listen } : {}) });
      } catch (error) {
        if (error instanceof ServeError) throw new CliError(error.message);
        if (error instanceof Error && 'code' in error && (error.code === 'EADDRINUSE' || error.code === 'EACCES' || error.code === 'EADDRNOTAVAIL')) {
          throw new CliError(`cannot listen on ${listen?.host ?? config.serve?.listen.host ?? '127.0.0.1'}: ${error.message}`);
        }
        throw error;
      }
      await new Promise<void>((resolve) => {
        const stop = (signal: NodeJS.Signals): void => {
          server.logger.info({ event: 'serve.signal', signal }, 'signal received');
          void server.drain().then(() => resolve(), (error: unknown) => {
            server.logger.error({ event: 'serve.drain-failed', error: error instanceof Error ? error.stack : String(error) }, 'drain failed');
            process.exitCode = 1;
            resolve();
          });
        };
        const reload = (): void => {
          if (configPath === undefined) {
            server.logger.warn({ event: 'serve.reload-skipped' }, 'SIGHUP: no config file to reload');
            return;
          }
          // A config that does not load (or would expose an open API) leaves the running one in place.
          loadConfig(configPath)
            .then((next) => server.reload(next))
            .catch((error: unknown) => server.logger.error({ event: 'serve.reload-failed', error: error instanceof Error ? error.message : String(error) }, 'SIGHUP: the config was not reloaded'));
        };
        process.once('SIGTERM', stop);
        process.once('SIGINT', stop);
        process.on('SIGHUP', reload);
      });
      process.exitCode ??= EXIT_OK;
      server.logger.flush();
    });
}
