module openclaw-fleet/tools/pause

go 1.26.0
