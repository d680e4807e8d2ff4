/**
 * The Ozeki HTTP API as a fastify plugin: `GET /?command=…` and `POST /` with a form body, the same
 * under `/api`. Every reply is HTTP 200 `application/xml`; the outcome is the `<Code>`. The client
 * address is checked first, then the credentials: nothing runs for a request that fails either.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ApiGuard } from '../auth.js';
import type { CallsPort } from './calls-port.js';
import { statusCode } from './codes.js';
import { commandName, runCommand } from './commands.js';
import type { CommandResult } from './commands.js';
import { CommandParams } from './params.js';
import { replyXml } from './xml-reply.js';

/** Form bodies larger than this are refused by fastify (413) before they are read whole. */
export const MAX_BODY_BYTES = 64 * 1024;

export interface OzekiApiOptions {
  calls: CallsPort;
  /** The guard of the current config (it changes on reload). */
  guard: () => ApiGuard;
  draining: () => boolean;
  /** Told about every request once answered: for the log and the metrics. */
  onAnswered?: (answered: AnsweredRequest) => void;
  /** Told about a command that threw (answered with Code 303). */
  onError?: (command: string, error: unknown) => void;
}

export interface AnsweredRequest {
  /** The canonical command name; `''` when absent or unknown (see `given`). */
  command: string;
  given: string;
  code: number;
  ip: string;
  user?: string;
}

function rawQuery(url: string): string {
  const at = url.indexOf('?');
  return at < 0 ? '' : url.slice(at + 1);
}

/** Bodies are read as text whatever their type; form, text/plain and untyped bodies are decoded as forms. */
function formText(request: FastifyRequest): string | { error: string } {
  if (typeof request.body !== 'string' || request.body === '') return '';
  const type = (request.headers['content-type'] ?? '').toLowerCase();
  if (type === '' || type.startsWith('application/x-www-form-urlencoded') || type.startsWith('text/plain')) return request.body;
  return { error: `unsupported Content-Type ${type.split(';')[0]}; send application/x-www-form-urlencoded` };
}

export const ozekiApi: FastifyPluginAsync<OzekiApiOptions> = async (app, options) => {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string', bodyLimit: MAX_BODY_BYTES }, (_request, body, done) => done(null, body));

  const handle = async (request: FastifyRequest, reply: FastifyReply): Promise<string> => {
    const guard = options.guard();
    let given = '';
    let user: string | undefined;
    const answer = (result: CommandResult): string => {
      const code = statusCode(result.status);
      const command = commandName(given) ?? '';
      options.onAnswered?.({ command, given, code, ip: request.ip, ...(user ? { user } : {}) });
      void reply.code(200).type('application/xml');
      return replyXml(result.status, result.extra);
    };
    if (!guard.addressAllowed(request.ip)) return answer({ status: { name: 'ForbiddenAddress' } });
    const body = formText(request);
    const params = typeof body === 'string' ? CommandParams.parse(rawQuery(request.raw.url ?? ''), body) : body;
    if ('error' in params) return answer({ status: { name: 'ParseError', args: [params.error] } });
    given = params.get('Command') ?? '';
    const auth = await guard.check(request.ip, params.get('Username'), params.get('Password'));
    if (!auth.ok) return answer({ status: { name: auth.code } });
    if (auth.user) user = auth.user;
    if (given.trim() === '') return answer({ status: { name: 'ParseError', args: ['no Command parameter'] } });
    try {
      return answer(await runCommand(given.trim(), { params, calls: options.calls, draining: options.draining() }));
    } catch (error) {
      options.onError?.(given, error);
      return answer({ status: { name: 'InappropriateCommand', args: [commandName(given) ?? given] } });
    }
  };

  for (const url of ['/', '/api', '/api/']) {
    app.get(url, handle);
    app.post(url, handle);
  }
};
