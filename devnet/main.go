// Command interchain-security-pd is the unmodified ICS v7 provider daemon, built from this wrapper module so the
// workbench's devnet can pin the ICS version, carry ICS's one required `replace`, and verify every dependency
// against the committed go.sum (`go install ...@v7.0.0` refuses modules that need a replace).
package main

import (
	"fmt"
	"os"

	svrcmd "github.com/cosmos/cosmos-sdk/server/cmd"

	appparams "github.com/cosmos/interchain-security/v7/app/params"
	app "github.com/cosmos/interchain-security/v7/app/provider"
	"github.com/cosmos/interchain-security/v7/cmd/interchain-security-pd/cmd"
)

func main() {
	appparams.SetAddressPrefixes("cosmos")
	rootCmd := cmd.NewRootCmd()
	if err := svrcmd.Execute(rootCmd, "", app.DefaultNodeHome); err != nil {
		fmt.Fprintln(rootCmd.OutOrStderr(), err)
		os.Exit(1)
	}
}
