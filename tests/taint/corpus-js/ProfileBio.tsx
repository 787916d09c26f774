import { useRouter } from "next/router";
import React from "react";

type Props = { fallback?: string };

export default function ProfileBio({ fallback = "No bio yet." }: Props) {
  const router = useRouter();
  const bio = typeof router.query.bio === "string" ? router.query.bio : fallback;
  const displayName = router.query.name ?? "Anonymous";

  return (
    <section className="profile">
      <h2>{displayName}</h2>
      <div className="bio" dangerouslySetInnerHTML={{ __html: bio }} />
    </section>
  );
}
