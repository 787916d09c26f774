import DOMPurify from "dompurify";
import { useRouter } from "next/router";

export function BioCard() {
  const { query } = useRouter();
  const raw = typeof query.bio === "string" ? query.bio : "";
  const clean = DOMPurify.sanitize(raw, { USE_PROFILES: { html: true } });

  return (
    <article className="bio-card">
      <div dangerouslySetInnerHTML={{ __html: clean }} />
    </article>
  );
}

export default BioCard;
