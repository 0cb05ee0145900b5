export interface HeapNode {
  key: string;
  expiresAt: number;
}

/**
 * A binary min-heap on `expiresAt`: what a bounded store evicts first. A store that replaces an
 * entry leaves its old node here and skips it when it surfaces.
 *
 * @example
 * const heap = new ExpiryHeap();
 * heap.push({ key: "a", expiresAt: 60 });
 * heap.peek()?.key // "a"
 */
export class ExpiryHeap {
  nodes: HeapNode[] = [];

  push(node: HeapNode): void {
    const { nodes } = this;
    nodes.push(node);
    for (let i = nodes.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      const [child, above] = [nodes[i], nodes[parent]];
      if (!child || !above || above.expiresAt <= child.expiresAt) break;
      [nodes[i], nodes[parent]] = [above, child];
      i = parent;
    }
  }

  peek(): HeapNode | undefined {
    return this.nodes[0];
  }

  pop(): HeapNode | undefined {
    const { nodes } = this;
    const top = nodes[0];
    const last = nodes.pop();
    if (nodes.length === 0 || !last) return top;
    nodes[0] = last;
    for (let i = 0; ; ) {
      const [left, right] = [2 * i + 1, 2 * i + 2];
      let smallest = i;
      if ((nodes[left]?.expiresAt ?? Infinity) < (nodes[smallest]?.expiresAt ?? Infinity)) smallest = left;
      if ((nodes[right]?.expiresAt ?? Infinity) < (nodes[smallest]?.expiresAt ?? Infinity)) smallest = right;
      if (smallest === i) return top;
      [nodes[i], nodes[smallest]] = [nodes[smallest] as HeapNode, nodes[i] as HeapNode];
      i = smallest;
    }
  }
}
