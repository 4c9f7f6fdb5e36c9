declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    temporalAddress: string;
    webUrl: string;
    /** Where the app's web and worker processes write their logs (api and e2e projects). */
    appLogDir: string;
  }
}
export {};
