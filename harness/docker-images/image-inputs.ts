import { createHash } from 'node:crypto';
import { runCommand } from '../provision/run-command';

/**
 * What an offline image was built from, as one digest kept in the image's `io.kchaos.inputs` label.
 * build-images keeps an image only when its label equals the digest of today's inputs, so a changed
 * start script, JDK release, jar set or Toxiproxy version rebuilds it instead of running a stale
 * image under a kept tag. Images built before the label existed have none: they are rebuilt once.
 */
export const INPUTS_LABEL = 'io.kchaos.inputs';

/** The recipe of one image: named parts (file texts, versions, file lists) in any order. */
export type ImageRecipe = Record<string, string | readonly string[]>;

/** A stable digest of a recipe: parts sorted by name, each length-prefixed so no two recipes collide by concatenation. */
export function recipeDigest(recipe: ImageRecipe): string {
  const hash = createHash('sha256');
  for (const name of Object.keys(recipe).sort()) {
    const value = recipe[name];
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    hash.update(`${name.length}:${name}${text.length}:${text}`);
  }
  return hash.digest('hex').slice(0, 32);
}

/** The image's inputs label; undefined when the image is absent or carries none. */
export async function imageInputsLabel(image: string): Promise<string | undefined> {
  const format = `{{ index .Config.Labels "${INPUTS_LABEL}" }}`;
  const label = await runCommand('docker', ['image', 'inspect', '--format', format, image], { what: `reading ${image}'s labels` }).then(
    (output) => output.trim(),
    () => '',
  );
  return label && label !== '<no value>' ? label : undefined;
}
