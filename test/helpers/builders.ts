/**
 * The Dockerfile `--engine buildah` renders, from the default one: the e2e suite generates once and builds
 * on both engines, and buildbox's buildah (1.28) refuses HEALTHCHECK --start-interval, as users' buildah
 * before 1.36 does. test/generator/healthcheck.test.ts checks this equals the real `--engine buildah` render.
 */
export function forBuildah(dockerfile: string): string {
  return dockerfile
    .replace(/^# During the start period[^\n]*\n(?:#[^\n]*\n)*?(?=HEALTHCHECK)/m, '')
    .replace(/^ {4}--start-interval=\S+ \\\n/m, '');
}
