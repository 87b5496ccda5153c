import { createJobHandlers } from './handlers.ts';
import { describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { JOB_NAMES, type JobName } from './contracts.ts';
import {
  createRegistry,
  InvalidPayloadError,
  RegistryError,
  UnknownJobError,
  type JobContext,
  type JobHandler,
} from './registry.ts';

/** A handler for an arbitrary (possibly undeclared) name; the cast is the point of the test. */
function handler(name: string, handle: JobHandler['handle'] = async () => {}): JobHandler {
  return { name: name as JobName, handle };
}

const stubsForAllJobs = () => JOB_NAMES.map((name) => handler(name));

function registryError(fn: () => unknown): RegistryError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(RegistryError);
  expect((caught as RegistryError).name).toBe('RegistryError');
  return caught as RegistryError;
}

describe('createRegistry', () => {
  it('builds with exactly one handler per declared job (custom names)', () => {
    const registry = createRegistry([handler('a'), handler('b')], ['a', 'b']);
    expect(registry.names).toEqual(['a', 'b']);
  });

  it('builds for the real JOB_NAMES with one stub each, in any order', () => {
    expect(createRegistry(stubsForAllJobs()).names).toEqual(JOB_NAMES);
    expect(createRegistry(stubsForAllJobs().reverse()).names).toEqual(JOB_NAMES);
  });

  it('the real handlers cover every declared job exactly once', () => {
    // No database is touched while building the registry; handlers only run when a job arrives.
    const handlers = createJobHandlers({ db: {} as never, dispatch: async () => undefined });
    expect(handlers.map((h) => h.name).sort()).toEqual([...JOB_NAMES].sort());
    expect(() => createRegistry(handlers)).not.toThrow();
  });

  it('refuses when a declared job has no handler', () => {
    registryError(() => createRegistry([handler('a')], ['a', 'b']));
    registryError(() => createRegistry([], ['a']));
    registryError(() => createRegistry(stubsForAllJobs().slice(1)));
  });

  it('refuses when two handlers share a name', () => {
    registryError(() => createRegistry([handler('a'), handler('b'), handler('a')], ['a', 'b']));
    registryError(() => createRegistry([...stubsForAllJobs(), handler(JOB_NAMES[0]!)]));
  });

  it('refuses a handler for an undeclared name', () => {
    registryError(() => createRegistry([handler('a'), handler('ghost')], ['a']));
    registryError(() => createRegistry([...stubsForAllJobs(), handler('notify.goodbye')]));
  });

  it('an empty declaration with no handlers builds an empty registry', () => {
    expect(createRegistry([], []).names).toEqual([]);
  });

  it('property: builds iff the handler names are exactly the declared names, each once', () => {
    const name = fc.constantFrom('a', 'b', 'c', 'd');
    fc.assert(
      fc.property(fc.uniqueArray(name), fc.array(name, { maxLength: 6 }), (declared, handled) => {
        const ok =
          handled.length === declared.length &&
          new Set(handled).size === handled.length &&
          declared.every((n) => handled.includes(n));
        const build = () =>
          createRegistry(
            handled.map((n) => handler(n)),
            declared,
          );
        if (ok) expect(build().names).toEqual(declared);
        else expect(build).toThrow(RegistryError);
      }),
    );
  });
});

describe('JobRegistry.run', () => {
  const ctx: JobContext = { jobId: 'outbox:42' };

  it('dispatches to the handler of that name with payload and jobId', async () => {
    const a = vi.fn(async () => {});
    const b = vi.fn(async () => {});
    const registry = createRegistry([handler('a', a), handler('b', b)], ['a', 'b']);
    await registry.run('b', { x: 1 }, ctx);
    expect(b).toHaveBeenCalledTimes(1);
    expect(b).toHaveBeenCalledWith({ x: 1 }, { jobId: 'outbox:42' });
    expect(a).not.toHaveBeenCalled();
  });

  it('dispatches real jobs with valid payloads', async () => {
    const calls: [string, unknown, string][] = [];
    const registry = createRegistry(
      JOB_NAMES.map((name) => handler(name, async (payload, c) => void calls.push([name, payload, c.jobId]))),
    );
    await registry.run('notify.welcome', { userId: 'u1', orgId: 'o1' }, { jobId: 'j1' });
    await registry.run('notify.lab-application', { labId: 'l1' }, { jobId: 'j2' });
    await registry.run('outbox.relay', {}, { jobId: 'j3' });
    expect(calls).toEqual([
      ['notify.welcome', { userId: 'u1', orgId: 'o1' }, 'j1'],
      ['notify.lab-application', { labId: 'l1' }, 'j2'],
      ['outbox.relay', {}, 'j3'],
    ]);
  });

  it.each<[JobName, unknown]>([
    ['notify.welcome', { userId: 'u1' }], // missing orgId
    ['notify.welcome', { userId: 1, orgId: 'o1' }], // wrong type
    ['notify.welcome', null],
    ['notify.welcome', 'u1'],
    ['notify.lab-application', {}],
    ['notify.lab-application', { labId: null }],
    ['outbox.relay', null],
    ['outbox.relay', []],
    ['outbox.relay', 42],
  ])('rejects an invalid payload for %s (%j) without calling the handler', async (name, payload) => {
    const handle = vi.fn(async () => {});
    const registry = createRegistry(JOB_NAMES.map((n) => handler(n, handle)));
    await expect(registry.run(name, payload, ctx)).rejects.toBeInstanceOf(InvalidPayloadError);
    expect(handle).not.toHaveBeenCalled();
  });

  it('rejects an unknown job name', async () => {
    const registry = createRegistry(stubsForAllJobs());
    await expect(registry.run('notify.goodbye', {}, ctx)).rejects.toBeInstanceOf(UnknownJobError);
    await expect(registry.run('toString', {}, ctx)).rejects.toBeInstanceOf(UnknownJobError);
  });

  it('skips validation for declared names that have no payload schema', async () => {
    const handle = vi.fn(async () => {});
    const registry = createRegistry([handler('custom', handle)], ['custom']);
    await registry.run('custom', 'anything', ctx);
    expect(handle).toHaveBeenCalledWith('anything', ctx);
  });

  it('propagates handler failures', async () => {
    const boom = new Error('boom');
    const registry = createRegistry(
      JOB_NAMES.map((n) =>
        handler(n, async () => {
          throw boom;
        }),
      ),
    );
    await expect(registry.run('outbox.relay', {}, ctx)).rejects.toBe(boom);
  });

  it('property: any object with string userId and orgId is a valid notify.welcome payload', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string(), fc.string(), fc.string(), async (userId, orgId, jobId) => {
        const handle = vi.fn(async () => {});
        const registry = createRegistry(JOB_NAMES.map((n) => handler(n, handle)));
        await registry.run('notify.welcome', { userId, orgId }, { jobId });
        expect(handle).toHaveBeenCalledWith({ userId, orgId }, { jobId });
      }),
    );
  });
});
