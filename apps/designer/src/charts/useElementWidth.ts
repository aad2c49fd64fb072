import { useCallback, useRef, useState } from 'react';

/**
 * The rendered width of an element, so charts draw at real pixels (text never scales with the
 * chart). A callback ref, so it follows the element when the chart swaps its empty state for the
 * chart itself.
 */
export function useElementWidth<T extends HTMLElement>(fallback = 640): [(el: T | null) => void, number] {
  const [width, setWidth] = useState(fallback);
  const observer = useRef<ResizeObserver | null>(null);
  const ref = useCallback((el: T | null) => {
    observer.current?.disconnect();
    observer.current = null;
    if (!el) return;
    const update = () => setWidth(Math.max(240, Math.floor(el.getBoundingClientRect().width)));
    update();
    observer.current = new ResizeObserver(update);
    observer.current.observe(el);
  }, []);
  return [ref, width];
}
