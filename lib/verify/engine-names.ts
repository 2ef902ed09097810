/** The engines `--verify` knows, apart from their code (which loads execa: only when verifying). */
export type EngineName = 'docker' | 'podman' | 'buildah';
export const ENGINE_NAMES: EngineName[] = ['docker', 'podman', 'buildah'];

export interface BuildProgress {
  step: number;
  of: number;
  text: string;
}
