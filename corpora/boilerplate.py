"""Marking what is not content: ads, "Source link", comment forms, disclaimers, author bios.

Such lines stay in the document (a translator still sees them) but are flagged, so that
they never feed term statistics. The rules are general patterns of web-article chrome in
English, Indonesian and Chinese, not the lines of any particular article:

- whole-line page furniture ("Source link", "Related Articles", "Back to top button",
  "Tinggalkan Balasan", section labels such as "Berita" at the top);
- comment forms ("Your email address will not be published", "Alamat email Anda ...");
- disclaimers: a "Disclaimer"/"Penolakan tanggung jawab"/"免责声明" heading and the
  paragraph after it, and paragraphs that say the views are not the publisher's or that
  the text is not advice;
- author bios: everything after an "About the author"/"Tentang Penulis" heading, and a
  paragraph repeated verbatim near the end (bio boxes are printed twice);
- ads in Chinese posts: sentences asking the reader to follow an account, scan a code or
  reply with a keyword (公众号, 扫码, 对话框回复...), and community/recruitment plugs.
"""

from __future__ import annotations

import re

_FURNITURE = re.compile(
    r"^(source link|sumber tautan|related articles?|artikel terkait|back to top( button)?|"
    r"kembali ke atas|leave a (reply|comment)|tinggalkan (balasan|komentar)|"
    r"share( this)?( article)?|bagikan( artikel ini)?|baca juga|read (more|also)|"
    r"lebih (banyak )?artikel|more articles|advertisement|iklan|"
    r"tags?|label|"
    r"相关文章|相关阅读|返回顶部|分享到?|推荐阅读)\s*:?$",
    re.IGNORECASE,
)
# A section label counts only as the first line of a page ("Berita" is also a word).
_SECTION_LABELS = frozenset({"berita", "news", "opini", "opinion", "editorial", "新闻", "资讯"})
_COMMENT_FORM = re.compile(
    r"^(your email address will not be published|alamat email anda tidak akan dipublikasikan|"
    r"(name|nama|email|website|situs web|comment|komentar)\s*\*|"
    r"save my name, email|simpan nama, email)",
    re.IGNORECASE,
)
_DISCLAIMER_HEADING = re.compile(
    r"^(disclaimer|penafian|penolakan tanggung jawab|sanggahan|免责声明|声明)\s*:?$", re.IGNORECASE
)
_DISCLAIMER_TEXT = re.compile(
    r"(do not necessarily reflect|does not necessarily reflect|tidak selalu mencerminkan|"
    r"not (be )?(intended|construed) as .{0,40}advice|"
    r"tidak dimaksudkan untuk .{0,80}nasihat|bukan merupakan nasihat|"
    r"不代表本(站|平台|网)|仅供参考.{0,10}不构成)",
    re.IGNORECASE,
)
_BIO_HEADING = re.compile(
    r"^(about the author|tentang penulis|profil penulis|作者简介|关于作者)\s*:?$", re.IGNORECASE
)
_AD_SENTENCE = re.compile(
    r"(关注(我们的)?(微信)?公众号|扫(描)?(二维)?码|对话框(回复|答复)|后台(回复|答复)|"
    r"(回复|答复)[“\"「][^”\"」]{1,8}[”\"」]|组建了.{0,30}社群|加入.{0,10}社群|"
    r"原标题|责任编辑|本文(来源|转载)|转载请注明|广告)"
)


def boilerplate_flags(paragraphs: list[str], lang: str) -> list[bool]:
    """One flag per paragraph: True where the paragraph is not content."""
    flags = [_is_chrome(p) for p in paragraphs]
    for i, para in enumerate(paragraphs):
        if _DISCLAIMER_HEADING.match(para) and i + 1 < len(paragraphs):
            flags[i] = flags[i + 1] = True
        if _BIO_HEADING.match(para):
            for j in range(i, len(paragraphs)):
                flags[j] = True
    _flag_repeated_tail(paragraphs, flags)
    if paragraphs and paragraphs[0].lower().rstrip(":") in _SECTION_LABELS:
        flags[0] = True
    return flags


def _is_chrome(para: str) -> bool:
    return bool(
        _FURNITURE.match(para)
        or _COMMENT_FORM.match(para)
        or _DISCLAIMER_HEADING.match(para)
        or _DISCLAIMER_TEXT.search(para)
        or _BIO_HEADING.match(para)
    )


def _flag_repeated_tail(paragraphs: list[str], flags: list[bool]) -> None:
    """A long paragraph printed twice in the last part of a page is a bio or promo box."""
    tail_start = len(paragraphs) * 2 // 3
    seen: dict[str, int] = {}
    for i, para in enumerate(paragraphs):
        if len(para) < 40:
            continue
        if para in seen and i >= tail_start:
            flags[i] = flags[seen[para]] = True
        seen.setdefault(para, i)


def is_ad_sentence(sentence: str, lang: str) -> bool:
    """A sentence that advertises (follow the account, reply "星球", join the group)."""
    return lang.split("-", 1)[0] == "zh" and bool(_AD_SENTENCE.search(sentence))
