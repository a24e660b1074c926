/**
 * A diagram drawn with @xyflow/react that people look at, not edit: fitted to its box, zoom by
 * the buttons only (the page keeps scrolling), in the console's colour scheme. Import it only
 * from lazy-loaded modules: the library stays out of the initial bundle.
 */
import { Controls, ReactFlow, type Edge, type Node, type NodeTypes } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useColorScheme } from './layout/theme';

export function ReadOnlyFlow<N extends Node>({
  nodes,
  edges,
  nodeTypes,
  padding,
}: {
  nodes: N[];
  edges: Edge[];
  nodeTypes: NodeTypes;
  /** room around the fitted diagram, a share of its size */
  padding: number;
}) {
  const scheme = useColorScheme();
  return (
    <ReactFlow
      nodes={nodes}
      edges={edges}
      nodeTypes={nodeTypes}
      colorMode={scheme}
      fitView
      fitViewOptions={{ padding, maxZoom: 1 }}
      minZoom={0.3}
      maxZoom={1.5}
      nodesDraggable={false}
      nodesConnectable={false}
      elementsSelectable={false}
      zoomOnScroll={false}
      preventScrolling={false}
      proOptions={{ hideAttribution: true }}
    >
      <Controls showInteractive={false} position="bottom-right" />
    </ReactFlow>
  );
}
