// The capture's own SIP reader: start lines, compact and folded headers, bodies cut by
// Content-Length, and mutated messages that must be refused or read without reading past the
// datagram (ASan lane).
#include "tutti/capture/sip_message.h"

#include <gtest/gtest.h>

#include <random>

namespace tutti::capture {
namespace {

const std::string kInvite =
    "INVITE sip:1000@pbx.example.com;user=phone SIP/2.0\r\n"
    "v: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK-1\r\n"
    "f: \"Alice A.\" <sip:alice@example.com>;tag=abc\r\n"
    "t: <sip:1000@pbx.example.com>\r\n"
    "i: 42@10.0.0.1\r\n"
    "CSeq: 7 INVITE\r\n"
    "Subject: a folded\r\n"
    "  subject line\r\n"
    "c: application/sdp\r\n"
    "l: 4\r\n"
    "\r\n"
    "v=0\r\nextra bytes past Content-Length";

TEST(SipMessage, RequestLineAndCompactHeadersAreRead) {
  const auto m = parse_sip_message(kInvite);
  ASSERT_TRUE(m.is_ok()) << m.status().to_string();
  EXPECT_TRUE(m->is_request);
  EXPECT_EQ(m->method, "INVITE");
  EXPECT_EQ(m->request_uri, "sip:1000@pbx.example.com;user=phone");
  EXPECT_EQ(m->call_id(), "42@10.0.0.1");
  EXPECT_EQ(m->header("Call-ID"), m->header("i"));
  EXPECT_EQ(m->header("content-type"), "application/sdp");
  EXPECT_EQ(m->header("subject"), "a folded subject line");
  ASSERT_TRUE(m->cseq().has_value());
  EXPECT_EQ(m->cseq()->first, 7);
  EXPECT_EQ(m->cseq()->second, "INVITE");
  EXPECT_EQ(m->body, "v=0\r");  // cut at Content-Length
  EXPECT_FALSE(m->header("contact").has_value());
}

TEST(SipMessage, StatusLineIsRead) {
  const auto m = parse_sip_message("SIP/2.0 486 Busy Here\r\nCall-ID: x\r\nCSeq: 1 INVITE\r\n\r\n");
  ASSERT_TRUE(m.is_ok()) << m.status().to_string();
  EXPECT_FALSE(m->is_request);
  EXPECT_EQ(m->status_code, 486);
  EXPECT_EQ(m->reason, "Busy Here");
  EXPECT_TRUE(m->body.empty());
}

TEST(SipMessage, WithoutContentLengthTheBodyIsTheRestOfTheDatagram) {
  const auto m = parse_sip_message("ACK sip:a@b SIP/2.0\nCall-ID: x\nCSeq: 1 ACK\n\nv=0\n");
  ASSERT_TRUE(m.is_ok()) << m.status().to_string();
  EXPECT_EQ(m->body, "v=0\n");
}

TEST(SipMessage, RecognisesSipByItsStartLineOnly) {
  EXPECT_TRUE(looks_like_sip("INVITE sip:1000@h SIP/2.0\r\n"));
  EXPECT_TRUE(looks_like_sip("OPTIONS sips:h SIP/2.0\r\n"));
  EXPECT_TRUE(looks_like_sip("SIP/2.0 200 OK\r\n"));
  EXPECT_TRUE(looks_like_sip("SIP/2.0 100"));
  EXPECT_FALSE(looks_like_sip("\r\n\r\n"));
  EXPECT_FALSE(looks_like_sip("GET / HTTP/1.1\r\n"));
  EXPECT_FALSE(looks_like_sip("invite sip:1000@h SIP/2.0\r\n"));
  EXPECT_FALSE(looks_like_sip("SIP/2.0 OK\r\n"));
  EXPECT_FALSE(looks_like_sip(std::string_view("\x80\x00\x12\x34", 4)));
  EXPECT_FALSE(looks_like_sip(""));
}

TEST(SipMessage, RefusesWithTheReason) {
  const auto reason = [](std::string_view text) {
    const auto m = parse_sip_message(text);
    return m.is_ok() ? std::string("accepted") : m.status().message();
  };
  EXPECT_EQ(reason(""), "empty datagram");
  EXPECT_EQ(reason("SIP/2.0 2000 OK\r\n"), "status line has no 3-digit status code");
  EXPECT_EQ(reason("INVITE sip:a@b\r\n"),
            "start line is neither 'METHOD URI SIP/2.0' nor 'SIP/2.0 CODE REASON'");
  EXPECT_EQ(reason("INVITE sip:a@b SIP/2.0\r\nno colon\r\n"), "header line without a colon");
  EXPECT_EQ(reason("INVITE sip:a@b SIP/2.0\r\nCSeq: 1 INVITE\r\n\r\n"), "no Call-ID");
  EXPECT_EQ(reason("INVITE sip:a@b SIP/2.0\r\ni: x\r\nCSeq: INVITE\r\n\r\n"),
            "no CSeq, or CSeq is not 'NUMBER METHOD'");
  EXPECT_EQ(reason("INVITE sip:a@b SIP/2.0\r\ni: x\r\nCSeq: 1 INVITE\r\nl: 5\r\n\r\nabc"),
            "Content-Length runs past the datagram");
  EXPECT_EQ(reason("INVITE sip:a@b SIP/2.0\r\ni: x\r\nCSeq: 1 INVITE\r\nl: 5x\r\n\r\nabcdef"),
            "Content-Length is not a number");
}

TEST(SipMessage, NameAddrGivesDisplayUriAndTag) {
  const NameAddr quoted = parse_name_addr("\"Alice A.\" <sip:alice@example.com>;tag=abc");
  EXPECT_EQ(quoted.display, "Alice A.");
  EXPECT_EQ(quoted.uri, "sip:alice@example.com");
  EXPECT_EQ(quoted.tag, "abc");
  const NameAddr bare = parse_name_addr("Bob <sip:bob@h>");
  EXPECT_EQ(bare.display, "Bob");
  EXPECT_TRUE(bare.tag.empty());
  const NameAddr spec = parse_name_addr("sip:carol@h;tag=9");
  EXPECT_EQ(spec.display, "");
  EXPECT_EQ(spec.uri, "sip:carol@h");
  EXPECT_EQ(spec.tag, "9");
  EXPECT_EQ(parse_name_addr("\"Broken <sip:x@h").uri, "");
}

TEST(SipMessage, UriUserIsTheDialledNumber) {
  EXPECT_EQ(uri_user("sip:1000@pbx:5060;user=phone"), "1000");
  EXPECT_EQ(uri_user("sips:alice:secret@h"), "alice");
  EXPECT_EQ(uri_user("sip:1000;phone-context=x@h"), "1000");
  EXPECT_EQ(uri_user("tel:+4930123;ext=1"), "+4930123");
  EXPECT_EQ(uri_user("sip:pbx.example.com"), "");
  EXPECT_EQ(uri_user("sip:pbx;maddr=a?x=y@z"), "");
  EXPECT_EQ(uri_user("mailto:a@b"), "");
  EXPECT_EQ(uri_user(""), "");
}

TEST(SipMessage, MutatedMessagesAreRefusedOrReadWithinBounds) {
  const unsigned seed = std::random_device{}();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937 rng(seed);
  for (int round = 0; round < 5000; ++round) {
    std::string text = kInvite;
    const int edits = 1 + static_cast<int>(rng() % 8);
    for (int e = 0; e < edits && !text.empty(); ++e) {
      const std::size_t at = rng() % text.size();
      switch (rng() % 4) {
        case 0:
          text[at] = static_cast<char>(rng());
          break;
        case 1:
          text.erase(at, 1 + rng() % 20);
          break;
        case 2:
          text.insert(at, 1, "\r\n:; <>\"@"[rng() % 9]);
          break;
        case 3:
          text.resize(at);
          break;
      }
    }
    // A copy with exactly the datagram's bytes, so ASan sees any read past its end.
    const std::unique_ptr<char[]> datagram(new char[text.size()]);
    std::copy(text.begin(), text.end(), datagram.get());
    const std::string_view view(datagram.get(), text.size());
    static_cast<void>(looks_like_sip(view));
    const auto m = parse_sip_message(view);
    if (m.is_ok()) {
      EXPECT_LE(m->body.size(), text.size());
      static_cast<void>(parse_name_addr(m->header("from").value_or("")));
      static_cast<void>(uri_user(m->request_uri));
    }
  }
}

}  // namespace
}  // namespace tutti::capture
