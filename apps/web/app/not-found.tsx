import Link from 'next/link';

export default function NotFound() {
  return (
    <div className="space-y-2">
      <h1 className="text-2xl font-semibold">Not found</h1>
      <p>There is no such page or edit (it may have been deleted).</p>
      <Link href="/" className="underline">
        Back to the gallery
      </Link>
    </div>
  );
}
