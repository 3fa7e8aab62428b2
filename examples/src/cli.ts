console.log("twner");
