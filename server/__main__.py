from homeostasis.cli.main import main

raise SystemExit(main())
