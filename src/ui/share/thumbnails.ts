/** Small JPEG data URLs for reports (optional): 64 px on the long side, so 1,000 images add ~2–3 MB. */
export async function thumbnailDataUrl(blob: Blob, size = 64): Promise<string | null> {
  try {
    const bitmap = await createImageBitmap(blob);
    const scale = size / Math.max(bitmap.width, bitmap.height);
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(bitmap.width * scale));
    canvas.height = Math.max(1, Math.round(bitmap.height * scale));
    const context = canvas.getContext('2d');
    if (!context) return null;
    context.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    bitmap.close();
    return canvas.toDataURL('image/jpeg', 0.7);
  } catch {
    return null;
  }
}
