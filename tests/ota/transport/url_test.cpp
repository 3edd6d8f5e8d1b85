// URL parsing: refusals first (one named case per line, each with the words the message must
// carry), then the accepted forms.
#include "ota/transport/url.h"

#include <gtest/gtest.h>

namespace edgeward::ota {
namespace {

struct BadCase {
  const char* name;
  std::string url;
  const char* message;
};

TEST(OtaUrl, RefusesMalformed) {
  const BadCase cases[] = {
      {"empty", "", "URL is empty"},
      {"no scheme", "example.com/x", "no scheme"},
      {"ftp scheme", "ftp://1.2.3.4/x", "unsupported scheme 'ftp'"},
      {"userinfo", "http://user:pw@1.2.3.4/x", "credentials in the URL"},
      {"user only", "https://user@host/x", "credentials in the URL"},
      {"fragment", "http://1.2.3.4/x#frag", "fragments"},
      {"CR LF injection", "http://1.2.3.4/x\r\nHost: evil", "control character"},
      {"NUL", std::string("http://1.2.3.4/x\0y", 18), "control character"},
      {"space in path", "http://1.2.3.4/a b", "space"},
      {"non-ASCII path", "http://1.2.3.4/\xc3\xa9", "non-ASCII"},
      {"backslash", "http://1.2.3.4/a\\b", "'\\' is not allowed"},
      {"bad percent", "http://1.2.3.4/a%2", "percent escape"},
      {"no host", "http:///x", "no host"},
      {"empty host with port", "http://:80/x", "no host"},
      {"port zero", "http://1.2.3.4:0/x", "out of range"},
      {"port too big", "http://1.2.3.4:65536/x", "out of range"},
      {"port huge", "http://1.2.3.4:99999999999/x", "out of range"},
      {"port not a number", "http://1.2.3.4:8o/x", "not a number"},
      {"empty port", "http://1.2.3.4:/x", "empty port"},
      {"bad host char", "http://exa$mple.com/x", "'$' is not allowed in a host"},
      {"bad IPv6", "http://[fe80::zz]/x", "not an IPv6 address"},
      {"unterminated IPv6", "http://[::1/x", "unterminated"},
      {"IPv6 trailing text", "http://[::1]x/x", "unexpected text"},
      {"file with host", "file://server/x", "local path"},
      {"file with query", "file:///x?y=1", "no query"},
      {"file without path", "file://", "no path"},
  };
  for (const auto& c : cases) {
    auto r = parse_url(c.url);
    ASSERT_FALSE(r.ok()) << c.name;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidInput) << c.name;
    EXPECT_NE(r.error().message.find(c.message), std::string::npos) << c.name << ": " << r.error().message;
  }
}

TEST(OtaUrl, AcceptsHttpHttpsFile) {
  auto a = parse_url("http://10.0.0.1:8080/ota/bundle.ewb?x=1");
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_EQ(a->scheme, Scheme::kHttp);
  EXPECT_EQ(a->host, "10.0.0.1");
  EXPECT_EQ(a->port, 8080);
  EXPECT_EQ(a->target, "/ota/bundle.ewb?x=1");

  auto b = parse_url("HTTPS://ota.example.com/b%20c");
  ASSERT_TRUE(b.ok()) << b.error().message;
  EXPECT_EQ(b->scheme, Scheme::kHttps);
  EXPECT_EQ(b->port, 443);
  EXPECT_EQ(b->target, "/b%20c");

  auto c = parse_url("http://localhost");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->port, 80);
  EXPECT_EQ(c->target, "/");

  auto d = parse_url("http://[::1]:8443/x");
  ASSERT_TRUE(d.ok()) << d.error().message;
  EXPECT_TRUE(d->ipv6);
  EXPECT_EQ(d->host, "::1");
  EXPECT_EQ(d->authority(), "[::1]:8443");

  auto e = parse_url("file:///var/lib/edgeward/bundle.ewb");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->scheme, Scheme::kFile);
  EXPECT_EQ(e->target, "/var/lib/edgeward/bundle.ewb");
}

}  // namespace
}  // namespace edgeward::ota
