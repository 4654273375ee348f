/**
 * A router built on its first request: `load` imports the modules behind it and builds it, once. The admin's
 * pages, reports and province views are ~3 MB of heap that an idle bot with no staff signed in never needs.
 * A failed load is passed to the error handler and tried again on the next request.
 */
import express, { type Router } from 'express';

export function lazyRouter(load: () => Promise<Router>): Router {
  let loading: Promise<Router> | null = null;
  const router = express.Router();
  router.use((req, res, next) => {
    loading ??= load().catch((e: unknown) => {
      loading = null;
      throw e;
    });
    loading.then((r) => r(req, res, next), next);
  });
  return router;
}
