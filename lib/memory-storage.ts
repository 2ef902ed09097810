/**
 * What the Yeoman generator hands Yeoman in place of its `.yo-rc.json` storage:
 * the same calls, kept in memory. Yeoman's own storage reads `.yo-rc.json` as
 * the generator starts (through a symlink, from a FIFO, without a size limit)
 * and would write it again at the end; the core alone reads and writes that
 * file, through lib/safe-files.ts, and writes it last.
 */
export function memoryStorage(): unknown {
  const values: Record<string, unknown> = {};
  const storage = {
    existed: false,
    get: (key: string) => values[key],
    getPath: (key: string) => values[key],
    getAll: () => ({ ...values }),
    set: (key: string | Record<string, unknown>, value?: unknown) => {
      if (typeof key === 'object') Object.assign(values, key);
      else values[key] = value;
      return value;
    },
    setPath: (key: string, value: unknown) => (values[key] = value),
    delete: (key: string) => void delete values[key],
    defaults: (defaults: Record<string, unknown>) => Object.assign(values, { ...defaults, ...values }),
    merge: (more: Record<string, unknown>) => Object.assign(values, more),
    save: () => undefined,
    createStorage: () => memoryStorage(),
    createProxy: () => values,
  };
  return storage;
}
