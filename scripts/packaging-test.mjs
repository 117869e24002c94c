console.log("packaging test: not written yet")
