"""the_content() of a post: real paragraphs plus the clutter plugins and editors leave in it."""

from __future__ import annotations

import unicodedata

from .content import SiteContent
from .htmlutil import attr, texturize
from .model import Post, stable_hash


def _para_html(text: str, post: Post) -> str:
    out = texturize(text)
    if post.post_id % 3 == 0:  # some stored content is decomposed (NFD); ground truth is NFC
        out = out.replace("Türkiye", unicodedata.normalize("NFD", "Türkiye"))
    return out


def has_tweet(post: Post) -> bool:
    """Whether the post embeds a tweet."""
    return post.seed_index is None and stable_hash("tweet", post.post_id) % 4 == 0


def read_also_target(site: SiteContent, post: Post) -> Post | None:
    """The post a 'Read also:' paragraph links to (an older one), if any."""
    older = [p for p in site.posts[post.index + 1 : post.index + 40] if not p.removed]
    legacy = [p for p in site.posts if p.legacy_id is not None]
    if legacy and stable_hash("legacy-link", post.post_id) % 6 == 0 and legacy[0] is not post:
        return legacy[stable_hash("lg", post.post_id) % len(legacy)]
    if not older:
        return None
    return older[stable_hash("readalso", post.post_id) % len(older)]


def share_block(url: str, post_id: int) -> str:
    """Jetpack sharedaddy buttons."""
    items = []
    for svc, label in (
        ("facebook", "Facebook"),
        ("x", "X"),
        ("linkedin", "LinkedIn"),
        ("telegram", "Telegram"),
        ("email", "Email"),
    ):
        items.append(
            f'<li class="share-{svc}"><a rel="nofollow noopener noreferrer" '
            f'data-shared="sharing-{svc}-{post_id}" class="share-{svc} sd-button share-icon" '
            f'href="{url}?share={svc}" target="_blank" aria-labelledby="sharing-{svc}-{post_id}">'
            f'<span id="sharing-{svc}-{post_id}" hidden>Click to share on {label}</span>'
            f"<span>{label}</span></a></li>"
        )
    return (
        '<div class="sharedaddy sd-sharing-enabled"><div class="robots-nocontent sd-block '
        'sd-social sd-social-icon-text sd-sharing"><h3 class="sd-title">Share this:</h3>'
        '<div class="sd-content"><ul>' + "".join(items) + '<li class="share-end"></li></ul>'
        "</div></div></div>"
    )


def related_block(site: SiteContent, post: Post, base: str) -> str:
    """Jetpack related posts (#jp-relatedposts) with three items."""
    pool = [
        p
        for p in site.posts[max(0, post.index - 5) : post.index + 8]
        if p is not post and not p.removed
    ][:3]
    items = []
    for i, p in enumerate(pool):
        excerpt = texturize(site.summary(p))
        items.append(
            f'<div class="jp-relatedposts-post jp-relatedposts-post{i} '
            'jp-relatedposts-post-thumbs" '
            f'data-post-id="{p.post_id}" data-post-format="false">'
            f'<h4 class="jp-relatedposts-post-title"><a class="jp-relatedposts-post-a" '
            f'href="{base}/{p.slug}/" title="{attr(p.title)}" rel="nofollow" '
            f'data-origin="{post.post_id}" data-position="{i}">{texturize(p.title)}</a></h4>'
            f'<p class="jp-relatedposts-post-excerpt">{excerpt}</p>'
            f'<p class="jp-relatedposts-post-date">{p.published:%B} {p.published.day}, '
            f"{p.published.year}</p>"
            f'<p class="jp-relatedposts-post-context">In &quot;'
            f"{texturize(site.categories[p.categories[0]].name)}&quot;</p></div>"
        )
    return (
        "<div id='jp-relatedposts' class='jp-relatedposts' >"
        '<h3 class="jp-relatedposts-headline"><em>Related</em></h3>'
        '<div class="jp-relatedposts-items jp-relatedposts-items-visual">'
        + "".join(items)
        + "</div></div>"
    )


def newsletter_block() -> str:
    """A Mailchimp for WordPress sign-up form."""
    return (
        "<script>(function() {window.mc4wp = window.mc4wp || {listeners: [],forms: {on: "
        "function(evt, cb) {window.mc4wp.listeners.push({event: evt,callback: cb});}}}})();"
        "</script><!-- Mailchimp for WordPress v4.9.19 - https://wordpress.org/plugins/"
        'mailchimp-for-wp/ --><form id="mc4wp-form-1" class="mc4wp-form mc4wp-form-48213" '
        'method="post" data-id="48213" data-name="Newsletter" ><div class="mc4wp-form-fields">'
        "<p><strong>Sign up for our newsletter</strong></p>"
        "<p>Get the latest news and analysis from Central Asia delivered to your inbox every "
        'week.</p><p><input type="email" name="EMAIL" placeholder="Your email address" '
        'required /></p><p><input type="submit" value="Subscribe" /></p></div>'
        '<label style="display: none !important;">Leave this field empty if you&#8217;re human: '
        '<input type="text" name="_mc4wp_honeypot" value="" tabindex="-1" autocomplete="off" />'
        '</label><input type="hidden" name="_mc4wp_timestamp" value="1736488800" />'
        '<input type="hidden" name="_mc4wp_form_id" value="48213" /><div class="mc4wp-response">'
        "</div></form><!-- / Mailchimp for WordPress Plugin -->"
    )


def inline_image(post: Post, base: str) -> str:
    """An in-body image with caption: block-editor figure (2022+) or classic wp-caption."""
    src = f"{base}/wp-content/uploads/{post.published:%Y/%m}/inline-{post.post_id}.jpg"
    caption = "Photo: " + ("TCA" if post.post_id % 2 else "Press service &#8211; archive")
    att = post.post_id + 3
    if post.published.year >= 2022:
        return (
            f'<figure class="wp-block-image size-large"><img decoding="async" width="1024" '
            f'height="683" src="{src}" alt="" class="wp-image-{att}" />'
            f'<figcaption class="wp-element-caption">{caption}</figcaption></figure>'
        )
    return (
        f'<div id="attachment_{att}" style="width: 810px" class="wp-caption aligncenter">'
        f'<img aria-describedby="caption-attachment-{att}" decoding="async" '
        f'class="size-full wp-image-{att}" src="{src}" alt="" width="800" height="533" />'
        f'<p id="caption-attachment-{att}" class="wp-caption-text">{caption}</p></div>'
    )


def tweet_block(post: Post) -> str:
    """An embedded tweet (blockquote.twitter-tweet + widgets.js)."""
    return (
        '<blockquote class="twitter-tweet"><p lang="en" dir="ltr">Talks concluded today. '
        "Important agreements signed on energy and transport. "
        '<a href="https://t.co/xY7kq2">pic.twitter.com/xY7kq2</a></p>&mdash; MFA Press '
        f'(@mfa_press) <a href="https://twitter.com/mfa_press/status/18{post.post_id}0442">'
        f"{post.published:%B} {post.published.day}, {post.published.year}</a></blockquote>"
        '<script async src="https://platform.twitter.com/widgets.js" charset="utf-8"></script>'
    )


def related_pool(site: SiteContent, post: Post, n: int = 3) -> list[Post]:
    """Posts near this one (what related-post widgets pick)."""
    return [
        p
        for p in site.posts[max(0, post.index - 5) : post.index + 8]
        if p is not post and not p.removed
    ][:n]


def jnews_ad(slot: str, base: str, post_id: int) -> str:
    """A JNews ad slot (jeg_ad) with its 'ADVERTISEMENT' label."""
    return (
        f'<div class="jeg_ad jeg_ad_article jnews_{slot}_ads "><div class="ads-wrapper '
        'align-center "><a href="https://ads.example.net/click?zone=tca-'
        f'{slot}&amp;p={post_id}" rel="noopener sponsored" class="adlink ads_image align-center">'
        f'<img src="{base}/wp-content/uploads/2024/03/banner-{slot}.jpg" alt="Advertisement" '
        'data-pin-no-hover="true"></a><div class="ads-text">ADVERTISEMENT</div></div></div>'
    )


def jnews_inline_related(site: SiteContent, post: Post, base: str) -> str:
    """JNews 'inline related posts' box (a jeg_postblock_29 titled 'Read also')."""
    items = "".join(
        f'<article class="jeg_post jeg_pl_xs_4"><div class="jeg_postblock_content">'
        f'<h3 class="jeg_post_title"><a href="{base}/{p.slug}/">{texturize(p.title)}</a></h3>'
        "</div></article>"
        for p in related_pool(site, post, 2)
    )
    return (
        '<div class="jnews_inline_related_post_wrapper right half"><div '
        'class="jnews_inline_related_post"><div class="jeg_postblock_29 jeg_postblock '
        f'jeg_module_hook jeg_pagination_nextprev jeg_col_1o3 jnews_module_{post.post_id}_0">'
        '<div class="jeg_block_heading jeg_block_heading_6 jeg_subcat_right">'
        '<h3 class="jeg_block_title"><span>Read also</span></h3></div>'
        '<div class="jeg_block_container"><div class="jeg_posts ">'
        f'<div class="jeg_postsmall jeg_load_more_flag">{items}</div></div></div></div></div></div>'
    )


#: The appeal box's paragraphs (not article text: the ground truth leaves them out).
APPEAL_TEXT = (
    "Enjoying our coverage of Central Asia?",
    "The Times of Central Asia is free to read, and reader support keeps it that way. A "
    "contribution of any size funds our correspondents in all five republics.",
)


def appeal_box(base: str, post_id: int) -> str:
    """The theme's reader-support box, written into the content after the second paragraph
    (under the theme's own class names)."""
    return (
        f'<div class="tca-box tca-box--7" data-box="{post_id % 3}">'
        f'<p class="tca-box__lead"><strong>{texturize(APPEAL_TEXT[0])}</strong></p>'
        f"<p>{texturize(APPEAL_TEXT[1])}</p>"
        f'<p><a class="tca-box__btn" href="{base}/support-us/">Contribute today</a></p></div>'
    )


def content_html(
    site: SiteContent, post: Post, base: str, *, share_top: bool, style: str = "jetpack",
    appeal: bool = False,
) -> str:
    """The rendered content: what a theme puts inside its content container.

    ``style`` 'jetpack' (classic, magazine, block): Jetpack sharing and related posts around
    the body. 'jnews': JNews replaces both with its own markup (outside the content) and
    injects an inline ad slot and an inline 'Read also' related-posts box into the content.
    ``appeal``: the theme's reader-support box after the second paragraph.
    """
    paras = site.paragraphs(post)
    blocks = [f"<p>{_para_html(t, post)}</p>" for t in paras]
    if post.clutter == "vc":
        blocks[0] = "<p>[vc_row][vc_column][vc_column_text]" + blocks[0][3:]
        blocks[-1] = blocks[-1][:-4] + "[/vc_column_text][/vc_column][/vc_row]</p>"
    out: list[str] = []
    for i, b in enumerate(blocks):
        out.append(b)
        if i == 0 and post.clutter == "video":
            out.append(
                f'<p>[video width="640" height="360" mp4="{base}/wp-content/uploads/'
                f'{post.published:%Y/%m}/clip-{post.post_id}.mp4"][/video]</p>'
            )
        if i == 0 and len(blocks) > 1:
            out.append(inline_image(post, base))
        if i == 1 and post.clutter == "caption":
            att = post.post_id + 5
            out.append(
                f'<p>[caption id="attachment_{att}" align="aligncenter" width="800"]'
                f'<img class="size-full wp-image-{att}" src="{base}/wp-content/uploads/'
                f'{post.published:%Y/%m}/map-{post.post_id}.png" alt="" width="800" '
                'height="533" /> Map of the region. Image: TCA[/caption]</p>'
            )
        if i == 1 and len(blocks) > 2:
            target = read_also_target(site, post)
            if target is not None:
                href = (
                    f"{base}/index.php/news/{target.legacy_id}-{target.slug[:40]}"
                    if target.legacy_id
                    else f"{base}/{target.slug}/"
                )
                out.append(
                    f'<p><strong>Read also:</strong> <a href="{href}">'
                    f"{texturize(target.title)}</a></p>"
                )
        if appeal and i == min(1, len(blocks) - 1):
            out.append(appeal_box(base, post.post_id))
        if i == 2 and has_tweet(post):
            out.append(tweet_block(post))
        if style == "jnews" and i == 0:
            out.append(jnews_ad("content_inline", base, post.post_id))
        if style == "jnews" and i == 2:
            out.append(jnews_inline_related(site, post, base))
    url = f"{base}/{post.slug}/"
    body = "\n\n".join(out)
    if style == "jnews":
        return body + "\n" + newsletter_block()
    tail = newsletter_block() + "\n" + related_block(site, post, base)
    if share_top:
        return share_block(url, post.post_id) + "\n" + body + "\n" + tail
    return body + "\n" + share_block(url, post.post_id) + "\n" + tail


def excerpt_text(site: SiteContent, post: Post, base: str, words: int) -> str:
    """Auto-excerpt HTML from raw post_content: tags stripped, shortcodes left in."""
    paras = list(site.paragraphs(post))
    raw = []
    for i, t in enumerate(paras):
        if i == 0 and post.clutter == "vc":
            t = "[vc_row][vc_column][vc_column_text]" + t
        raw.append(t)
        if i == 0 and post.clutter == "video":
            raw.append(
                f'[video width="640" height="360" mp4="{base}/wp-content/uploads/'
                f'{post.published:%Y/%m}/clip-{post.post_id}.mp4"][/video]'
            )
        if i == 0 and post.clutter == "caption":
            raw.append(
                f'[caption id="attachment_{post.post_id + 5}" align="aligncenter" '
                'width="800"] Map of the region. Image: TCA[/caption]'
            )
    if post.clutter == "vc" and len(raw) > 1:
        raw[0] = raw[0] + "[/vc_column_text][vc_column_text]"
    text = " ".join(raw).split()
    cut = texturize(" ".join(text[:words]))
    return cut + (" [&hellip;]" if len(text) > words else "")
