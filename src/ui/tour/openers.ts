/**
 * What a tour step opens before pointing at it: the collapsed template pool, or the image drill-down on the
 * image the tour's numbers chose. Each returns how to put things back when the step is left.
 */
import { useResults } from '../../state/results';
import type { TourOpen } from './steps';

export const TEMPLATE_POOL = '#dataset .template-editor';

export function openForStep(what: TourOpen, imageId: string | null): (() => void) | undefined {
  switch (what) {
    case 'template-pool': {
      const pool = document.querySelector<HTMLDetailsElement>(TEMPLATE_POOL);
      if (!pool || pool.open) return undefined;
      pool.open = true;
      return () => {
        pool.open = false;
      };
    }
    case 'image-detail': {
      if (!imageId) return undefined;
      const before = useResults.getState().selectedImage;
      useResults.getState().selectImage(imageId);
      return () => {
        if (useResults.getState().selectedImage === imageId) useResults.getState().selectImage(before);
      };
    }
  }
}
