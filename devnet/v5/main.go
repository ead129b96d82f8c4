// Command interchain-security-pd is the unmodified ICS v5.2.0 provider daemon, built from this pinned wrapper
// module (see ../main.go for why a wrapper and not `go install`).
package main

import (
	"fmt"
	"os"

	svrcmd "github.com/cosmos/cosmos-sdk/server/cmd"

	appparams "github.com/cosmos/interchain-security/v5/app/params"
	app "github.com/cosmos/interchain-security/v5/app/provider"
	"github.com/cosmos/interchain-security/v5/cmd/interchain-security-pd/cmd"
)

func main() {
	appparams.SetAddressPrefixes("cosmos")
	rootCmd := cmd.NewRootCmd()
	if err := svrcmd.Execute(rootCmd, "", app.DefaultNodeHome); err != nil {
		fmt.Fprintln(rootCmd.OutOrStderr(), err)
		os.Exit(1)
	}
}
