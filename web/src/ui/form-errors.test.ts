import { describe, expect, it } from 'vitest';
import { fieldPath } from './form-errors';

describe('fieldPath', () => {
  it('turns the server field names into form paths', () => {
    expect(fieldPath('code')).toEqual(['code']);
    expect(fieldPath('/code')).toEqual(['code']);
    expect(fieldPath('body.name')).toEqual(['name']);
    expect(fieldPath('/posts/0/nodeId')).toEqual(['posts', 0, 'nodeId']);
  });
});
