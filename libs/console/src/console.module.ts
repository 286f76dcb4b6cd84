import { Logger, Module, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { CONSOLE_DIST, CONSOLE_PREFIX, consoleBuilt } from './console-assets';

/**
 * Serves the web console (apps/console, built into dist/console) at /console/ as static files.
 * Plain Fastify routes, outside the Nest guards: the page and its scripts hold no data; the
 * console asks the API for everything with the token the user signs in with.
 */
@Module({})
export class ConsoleModule implements OnModuleInit {
  private readonly logger = new Logger('Console');

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify) return;
    if (!consoleBuilt()) {
      // ts-node or a build without the console: the API works, /console is simply absent.
      this.logger.warn(`no console at ${CONSOLE_DIST} (npm run build writes it)`);
      return;
    }
    void fastify.register(fastifyStatic, {
      root: CONSOLE_DIST,
      prefix: CONSOLE_PREFIX,
      // Hashed file names are not used: a new build must be picked up on the next load.
      cacheControl: true,
      maxAge: 0,
    });
    // /console → /console/, so the page's relative script and style URLs resolve.
    fastify.get(CONSOLE_PREFIX.slice(0, -1), (_request, reply) => reply.redirect(CONSOLE_PREFIX));
  }
}
