import fc from 'fast-check';
import { recipeDigest } from './image-inputs';

test('recipeDigest: the same parts in any order give one digest; changing, adding or moving text between parts gives another', () => {
  const recipe = { runScript: '#!/bin/sh\nexec java', jars: ['kafka_2.13-4.3.1.jar', 'kafka-clients-4.3.1.jar'], javaRelease: '17.0.13' };
  const digest = recipeDigest(recipe);
  expect(digest).toMatch(/^[0-9a-f]{32}$/);
  expect(recipeDigest({ javaRelease: '17.0.13', jars: [...recipe.jars], runScript: recipe.runScript })).toBe(digest);
  expect(recipeDigest({ ...recipe, javaRelease: '17.0.14' })).not.toBe(digest);
  expect(recipeDigest({ ...recipe, jars: [...recipe.jars, 'extra.jar'] })).not.toBe(digest);
  expect(recipeDigest({ ...recipe, log4j2: '' })).not.toBe(digest);
  // Concatenation cannot collide: "ab" + "c" is not "a" + "bc".
  expect(recipeDigest({ x: 'ab', y: 'c' })).not.toBe(recipeDigest({ x: 'a', y: 'bc' }));
});

test('recipeDigest: two recipes differing in any one part never share a digest (property)', () => {
  fc.assert(
    fc.property(fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), fc.string()), fc.string({ minLength: 1, maxLength: 8 }), fc.string(), (recipe, name, text) => {
      fc.pre(recipe[name] !== text);
      expect(recipeDigest({ ...recipe, [name]: text })).not.toBe(recipeDigest(recipe));
    }),
  );
});
