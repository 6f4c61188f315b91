/** Where a sample's HTTP server listens; the tests and `main.ts` take any free port on loopback. */
export class HttpSettings {
  constructor(
    readonly port: number | string = process.env.PORT ?? 0,
    readonly host = '127.0.0.1',
  ) {}
}
