// Command coredns is upstream CoreDNS (coremain.Run) linked with only the plugins the local clusters'
// DNS uses. Upstream's main imports every plugin, cloud SDKs included (route53, azure, clouddns), which
// multiplies the build time on a 2-core machine for nothing the real node needs.
package main

import (
	"github.com/coredns/coredns/coremain"

	_ "github.com/coredns/coredns/plugin/cache"
	_ "github.com/coredns/coredns/plugin/errors"
	_ "github.com/coredns/coredns/plugin/forward"
	_ "github.com/coredns/coredns/plugin/health"
	_ "github.com/coredns/coredns/plugin/kubernetes"
	_ "github.com/coredns/coredns/plugin/log"
	_ "github.com/coredns/coredns/plugin/loop"
	_ "github.com/coredns/coredns/plugin/ready"
)

func main() { coremain.Run() }
