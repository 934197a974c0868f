import { median } from './median';

test('the median of an odd count is the middle value, whatever the order', () => {
  expect(median([0.9, 0.6, 0.75])).toBe(0.75);
});

test('of an even count it is the lower of the two middle values, and the input is left as it was', () => {
  const ratios = [1.2, 0.6, 0.8, 0.7];
  expect(median(ratios)).toBe(0.7);
  expect(ratios).toEqual([1.2, 0.6, 0.8, 0.7]);
});
