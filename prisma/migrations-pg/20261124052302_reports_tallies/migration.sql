-- CreateTable
CREATE TABLE "DailyTally" (
    "day" TEXT NOT NULL,
    "metric" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "DailyTally_pkey" PRIMARY KEY ("day","metric","channel","key")
);

-- CreateTable
CREATE TABLE "CitizenActivity" (
    "bucket" TEXT NOT NULL,
    "citizenRef" TEXT NOT NULL,
    "channel" TEXT NOT NULL,

    CONSTRAINT "CitizenActivity_pkey" PRIMARY KEY ("bucket","citizenRef")
);

-- CreateTable
CREATE TABLE "ManualOutreach" (
    "id" SERIAL NOT NULL,
    "date" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "count" INTEGER NOT NULL,
    "topic" TEXT,
    "note" TEXT,
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ManualOutreach_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ManualOutreach_date_idx" ON "ManualOutreach"("date");
