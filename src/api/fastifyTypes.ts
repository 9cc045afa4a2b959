/**
 * The API's additions to fastify's types: the verified caller on each request, the permission each route requires
 * (route config), and the runtime buildApp decorates the app with.
 */
import type { Principal, Permission } from './auth/permissions.ts';
import type { ApiRuntime } from './runtime.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The caller, set by the authentication hook on every non-public route (null on public routes). */
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    /** What the route requires (see auth/permissions.ts); routes without one are not under /v1. */
    permission?: Permission;
  }
  interface FastifyInstance {
    /** Set by buildApp: the runtime serving this app. */
    aftershock: ApiRuntime;
  }
}

export {};
